import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@kefu/signal'

const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus'

/** One Prometheus query's answer: each series' labels and its value. */
export type QueryResult = { metric: Record<string, string>; value: [number, string] }[]

/**
 * A throwaway Prometheus (Debian's package) that scrapes `targets` every second with a bearer
 * token, as an operator's would scrape the nodes of a cluster; its data in a folder of its own.
 */
export class LocalPrometheus {
  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    readonly url: string,
  ) {}

  static async start(targets: readonly string[], bearerToken: string): Promise<LocalPrometheus> {
    const folder = mkdtempSync(join(tmpdir(), 'kefu-prometheus-'))
    const config = join(folder, 'prometheus.yml')
    writeFileSync(
      config,
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: kefu
    authorization:
      credentials: ${bearerToken}
    static_configs:
      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]
`,
    )
    const port = await freePort()
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    )
    process.once('exit', () => child.kill('SIGKILL'))
    const prometheus = new LocalPrometheus(child, folder, `http://127.0.0.1:${port}`)
    await prometheus.untilReady()
    return prometheus
  }

  private async untilReady(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}`)
      const ready = await fetch(`${this.url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      )
      if (ready) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('prometheus did not become ready')
  }

  /** The scrape targets' health, by `instance`. */
  async targetHealth(): Promise<Record<string, string>> {
    const response = await fetch(`${this.url}/api/v1/targets`)
    const body = (await response.json()) as {
      data: { activeTargets: { labels: { instance: string }; health: string }[] }
    }
    return Object.fromEntries(
      body.data.activeTargets.map((target) => [target.labels.instance, target.health]),
    )
  }

  async query(expression: string): Promise<QueryResult> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expression)}`)
    const body = (await response.json()) as { status: string; error?: string; data?: { result: QueryResult } }
    if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`)
    return body.data?.result ?? []
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM')
      await once(this.child, 'exit')
    }
    rmSync(this.folder, { recursive: true, force: true })
  }
}
