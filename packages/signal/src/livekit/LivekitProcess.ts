import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '@kefu/shared'

/** How to run a local LiveKit server. */
export interface LivekitProcessOptions {
  binary: string
  /** Folder for the generated config and the server's log. */
  workDir: string
  /** Signalling port; media uses the next two (TCP, UDP). */
  port: number
  /**
   * The loopback address it binds and advertises (127.0.0.1 unless said): nodes of one cluster on
   * one machine each take their own (127.0.0.2, …), so each is told apart as separate hosts would be.
   */
  host?: string | undefined
  apiKey: string
  apiSecret: string
  webhookUrl?: string | undefined
  /** `host:port` of the Redis that LiveKit nodes share to form one cluster (LiveKit's multi-node mode). */
  redisAddress?: string | undefined
  /** `--dev`: debug logging; only ever for a developer's own machine. */
  dev?: boolean
}

const READY_TIMEOUT_MS = 20_000
const LOOPBACK = '127.0.0.1'

/**
 * Writes the config for a loopback-only LiveKit: media advertised on 127.0.0.1 with loopback ICE
 * candidates enabled. Without those, signalling works on a machine with no other interface but
 * media silently never flows. ICE over TCP is off: LiveKit binds its TCP port on every interface
 * whatever else says loopback, and a fallback for clients behind UDP-blocking firewalls has no
 * use on loopback.
 */
export function livekitConfigYaml(options: LivekitProcessOptions): string {
  const { port, apiKey, apiSecret, webhookUrl, host = LOOPBACK } = options
  const webhook = webhookUrl ? `webhook:\n  api_key: ${apiKey}\n  urls:\n    - ${webhookUrl}\n` : ''
  const redis = options.redisAddress ? `redis:\n  address: ${options.redisAddress}\n` : ''
  return `port: ${port}
bind_addresses:
  - ${host}
rtc:
  tcp_port: 0
  udp_port: ${port + 2}
  node_ip: ${host}
  use_external_ip: false
  enable_loopback_candidate: true
  interfaces:
    includes:
      - lo
keys:
  ${apiKey}: ${apiSecret}
${webhook}${redis}room:
  empty_timeout: 60
  departure_timeout: 10
logging:
  level: ${options.dev ? 'debug' : 'warn'}
`
}

const FIRST_RESTART_DELAY_MS = 500
const MAX_RESTART_DELAY_MS = 30_000
// A server that stayed up this long crashed for a new reason: restart it quickly again.
const STABLE_RUN_MS = 60_000

/**
 * A local LiveKit server, kept running: if it exits on its own (a crash, the OOM killer), it is
 * started again after a pause that doubles while it keeps failing. Calls in progress drop with it;
 * without the restart every later call would fail until someone restarted kefu3d by hand.
 */
export class LivekitProcess {
  readonly url: string
  readonly httpUrl: string
  private child: ChildProcess | undefined
  private isStopping = false
  private restartTimer: NodeJS.Timeout | undefined
  private restartDelayMs = FIRST_RESTART_DELAY_MS

  private constructor(
    private readonly options: LivekitProcessOptions,
    private readonly configPath: string,
    private readonly logPath: string,
    private readonly logger: Logger | undefined,
  ) {
    const host = options.host ?? LOOPBACK
    this.url = `ws://${host}:${options.port}`
    this.httpUrl = `http://${host}:${options.port}`
  }

  /** Starts LiveKit and resolves once it answers HTTP; fails loudly if it exits or stays silent. */
  static async start(options: LivekitProcessOptions, logger?: Logger): Promise<LivekitProcess> {
    mkdirSync(options.workDir, { recursive: true })
    const configPath = join(options.workDir, 'livekit.yaml')
    writeFileSync(configPath, livekitConfigYaml(options), { mode: 0o600 })
    const livekit = new LivekitProcess(options, configPath, join(options.workDir, 'livekit.log'), logger)
    process.on('exit', livekit.killOnExit)
    await livekit.launch()
    return livekit
  }

  /** The running server's process id (it changes when the server is restarted). */
  get pid(): number | undefined {
    return this.child?.pid
  }

  private async launch(): Promise<void> {
    const args = ['--config', this.configPath, ...(this.options.dev ? ['--dev'] : [])]
    // Its own process group: a Ctrl-C in the terminal signals the whole foreground group, and
    // LiveKit dying first would look like a crash, be restarted, and outlive kefu3d's shutdown.
    // kefu3d stops it itself, after its own connections have closed.
    const child = spawn(this.options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    this.child = child
    // Appended, so the log of a run that crashed is still there after the restart.
    const logFile = createWriteStream(this.logPath, { flags: 'a' })
    child.stdout?.pipe(logFile)
    child.stderr?.pipe(logFile)
    const startedAt = Date.now()
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    await this.waitUntilReady(child, exited)
    void exited.then((code) => this.handleExit(child, code, Date.now() - startedAt))
  }

  private async waitUntilReady(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS
    let exitCode: number | null | undefined
    void exited.then((code) => {
      exitCode = code
    })
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`livekit-server exited with ${exitCode}; see ${this.logPath}`)
      const answered = await fetch(this.httpUrl).then(
        (response) => response.ok,
        () => false,
      )
      if (answered) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    child.kill('SIGKILL')
    throw new Error(`livekit-server did not answer within ${READY_TIMEOUT_MS} ms; see ${this.logPath}`)
  }

  // Detached, LiveKit would outlive a kefu3d that exits without stop() (an uncaught error).
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL')
  }

  private handleExit(child: ChildProcess, code: number | null, ranForMs: number): void {
    if (this.isStopping || this.child !== child) return
    if (ranForMs >= STABLE_RUN_MS) this.restartDelayMs = FIRST_RESTART_DELAY_MS
    this.logger?.error(
      { code, signal: child.signalCode, ranForMs, restartInMs: this.restartDelayMs, log: this.logPath },
      'livekit-server exited on its own; restarting it',
    )
    this.scheduleRestart()
  }

  private scheduleRestart(): void {
    const delayMs = this.restartDelayMs
    this.restartDelayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      this.launch().then(
        () => this.logger?.info({ pid: this.child?.pid }, 'livekit-server restarted'),
        (error: unknown) => {
          if (this.isStopping) return
          this.logger?.error(
            { err: error, restartInMs: this.restartDelayMs },
            'livekit-server did not restart',
          )
          this.scheduleRestart()
        },
      )
    }, delayMs)
  }

  /** Stops the server (and its supervision) and waits for it to exit. */
  async stop(): Promise<void> {
    this.isStopping = true
    clearTimeout(this.restartTimer)
    process.off('exit', this.killOnExit)
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}
