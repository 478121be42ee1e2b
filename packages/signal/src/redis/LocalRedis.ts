import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../freePort'

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server'

/**
 * A throwaway Redis on a loopback port, in a folder of its own, for tests and `kefu cluster`:
 * Debian's `redis-server`, no password. A throwaway one saves nothing: a restart comes back
 * empty, the worst a cluster must survive.
 */
export class LocalRedis {
  private process: ChildProcess | undefined

  private constructor(
    private readonly folder: string,
    readonly port: number,
    private readonly keepsData: boolean,
  ) {}

  /** In a throwaway folder, or in `folder` with an append-only file, kept when stopped. */
  static async start(folder?: string): Promise<LocalRedis> {
    if (spawnSync(REDIS_SERVER, ['--version']).status !== 0)
      throw new Error('Redis is not installed: apt-get install -y redis-server (or set REDIS_SERVER)')
    if (folder) mkdirSync(folder, { recursive: true })
    const home = folder ?? mkdtempSync(join(tmpdir(), 'kefu-redis-'))
    const redis = new LocalRedis(home, await freePort(), folder !== undefined)
    await redis.run()
    return redis
  }

  /** The server's process id, while it runs (to count its CPU). */
  get pid(): number | undefined {
    return this.process?.pid
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /**
   * Kills the server the hard way (as a crashed machine would), runs `whileDown`, and starts it
   * again on the same port, empty.
   */
  async restart(whileDown: () => Promise<void> = async () => {}): Promise<void> {
    await this.kill('SIGKILL')
    try {
      await whileDown()
    } finally {
      await this.run()
    }
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM')
    if (!this.keepsData) rmSync(this.folder, { recursive: true, force: true })
  }

  private async run(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.folder]
    args.push('--save', '', '--appendonly', this.keepsData ? 'yes' : 'no', '--daemonize', 'no')
    // Its own process group: a terminal's Ctrl-C is for the process that started it, which stops
    // Redis last, after everything that uses it.
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    process.once('exit', () => child.kill('SIGKILL'))
    this.process = child
    let output = ''
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk
        if (!output.includes('Ready to accept connections')) return
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve()
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)))
    })
  }

  private async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.process
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill(signal)
    await exited
  }
}
