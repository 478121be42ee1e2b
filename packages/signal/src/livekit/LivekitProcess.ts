import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** How to run a local LiveKit server. */
export interface LivekitProcessOptions {
  binary: string
  /** Folder for the generated config and the server's log. */
  workDir: string
  /** Signalling port; media uses the next two (TCP, UDP). */
  port: number
  apiKey: string
  apiSecret: string
  webhookUrl?: string | undefined
  /** `--dev`: debug logging; only ever for a developer's own machine. */
  dev?: boolean
}

const READY_TIMEOUT_MS = 20_000

/**
 * Writes the config for a loopback-only LiveKit: media advertised on 127.0.0.1 with loopback ICE
 * candidates enabled. Without those, signalling works on a machine with no other interface but
 * media silently never flows.
 */
export function livekitConfigYaml(options: LivekitProcessOptions): string {
  const { port, apiKey, apiSecret, webhookUrl } = options
  const webhook = webhookUrl ? `webhook:\n  api_key: ${apiKey}\n  urls:\n    - ${webhookUrl}\n` : ''
  return `port: ${port}
bind_addresses:
  - 127.0.0.1
rtc:
  tcp_port: ${port + 1}
  udp_port: ${port + 2}
  node_ip: 127.0.0.1
  use_external_ip: false
  enable_loopback_candidate: true
  interfaces:
    includes:
      - lo
keys:
  ${apiKey}: ${apiSecret}
${webhook}room:
  empty_timeout: 60
  departure_timeout: 10
logging:
  level: ${options.dev ? 'debug' : 'warn'}
`
}

/** A running LiveKit server process. */
export class LivekitProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly httpUrl: string,
  ) {}

  /** Starts LiveKit and resolves once it answers HTTP; fails loudly if it exits or stays silent. */
  static async start(options: LivekitProcessOptions): Promise<LivekitProcess> {
    mkdirSync(options.workDir, { recursive: true })
    const configPath = join(options.workDir, 'livekit.yaml')
    writeFileSync(configPath, livekitConfigYaml(options), { mode: 0o600 })
    const args = ['--config', configPath, ...(options.dev ? ['--dev'] : [])]
    const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const logFile = createWriteStream(join(options.workDir, 'livekit.log'))
    child.stdout?.pipe(logFile)
    child.stderr?.pipe(logFile)
    const httpUrl = `http://127.0.0.1:${options.port}`
    const livekit = new LivekitProcess(child, `ws://127.0.0.1:${options.port}`, httpUrl)
    await livekit.waitUntilReady(join(options.workDir, 'livekit.log'))
    return livekit
  }

  private async waitUntilReady(logPath: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS
    let exited: number | null | undefined
    this.child.once('exit', (code) => {
      exited = code
    })
    while (Date.now() < deadline) {
      if (exited !== undefined) throw new Error(`livekit-server exited with ${exited}; see ${logPath}`)
      const answered = await fetch(this.httpUrl).then(
        (response) => response.ok,
        () => false,
      )
      if (answered) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    this.child.kill('SIGKILL')
    throw new Error(`livekit-server did not answer within ${READY_TIMEOUT_MS} ms; see ${logPath}`)
  }

  /** Stops the server and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}
