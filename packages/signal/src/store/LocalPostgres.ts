import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../freePort'

/** The PostgreSQL binaries: $PG_BIN, else the newest Debian install. */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (!versions[0]) {
    throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (or set PG_BIN)')
  }
  return join(root, versions[0], 'bin')
}

/**
 * A throwaway PostgreSQL cluster on a loopback port, in a folder of its own, for tests and for
 * trying the PostgreSQL store: trusted local logins, no fsync (nothing in it outlives the run).
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user Debian creates.
 */
export class LocalPostgres {
  private constructor(
    private readonly folder: string,
    private readonly bin: string,
    private readonly asUser: string[],
    readonly port: number,
    private readonly keepsData: boolean,
  ) {}

  /** In a throwaway folder, or in `folder`, created if missing and kept when stopped. */
  static async start(folder?: string): Promise<LocalPostgres> {
    const bin = postgresBin()
    if (folder) mkdirSync(folder, { recursive: true })
    const home = folder ?? mkdtempSync(join(tmpdir(), 'kefu-postgres-'))
    const asRoot = process.getuid?.() === 0
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
      chownSync(home, uid, gid)
    }
    const cluster = new LocalPostgres(
      home,
      bin,
      asRoot ? ['runuser', '-u', 'postgres', '--'] : [],
      await freePort(),
      folder !== undefined,
    )
    if (!existsSync(join(cluster.dataDir, 'PG_VERSION')))
      cluster.run('initdb', [
        '-D',
        cluster.dataDir,
        '-U',
        'kefu',
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ])
    cluster.run('pg_ctl', [
      '-D',
      cluster.dataDir,
      '-l',
      join(home, 'server.log'),
      '-o',
      cluster.options,
      '-w',
      'start',
    ])
    return cluster
  }

  private get options(): string {
    return `-p ${this.port} -k ${this.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`
  }

  /** The postmaster's process id while the cluster runs (to count its CPU with its backends'). */
  get pid(): number | undefined {
    const pidFile = join(this.dataDir, 'postmaster.pid')
    return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined
  }

  private get dataDir(): string {
    return join(this.folder, 'data')
  }

  /** A new empty database in the cluster, as a connection URL. */
  async createDatabase(name: string): Promise<string> {
    const admin = new pg.Client({ connectionString: this.url('postgres') })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`)
    } finally {
      await admin.end()
    }
    return this.url(name)
  }

  url(database: string): string {
    return localDatabaseUrl(this.port, database)
  }

  /** Stops the server at once, as a crash would, runs `whileDown`, and starts it again. */
  async restart(whileDown: () => Promise<void> = async () => {}): Promise<void> {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop'])
    try {
      await whileDown()
    } finally {
      this.run('pg_ctl', [
        '-D',
        this.dataDir,
        '-l',
        join(this.folder, 'server.log'),
        '-o',
        this.options,
        '-w',
        'start',
      ])
    }
  }

  stop(): void {
    try {
      this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop'])
    } finally {
      if (!this.keepsData) rmSync(this.folder, { recursive: true, force: true })
    }
  }

  private run(tool: string, args: string[]): void {
    // In a session of its own: a terminal's Ctrl-C is for whoever started the server, who stops it.
    const [command, ...rest] = ['setsid', ...this.asUser, join(this.bin, tool), ...args] as [
      string,
      ...string[],
    ]
    execFileSync(command, rest, { stdio: ['ignore', 'ignore', 'pipe'] })
  }
}

function localDatabaseUrl(port: number, database: string): string {
  return `postgres://kefu@127.0.0.1:${port}/${database}`
}

/**
 * The database of that name in a local cluster on `port` (see `LocalPostgres`), created if it is not
 * there yet; synchronous, for test set-ups that name their store before anything awaits.
 */
export function localDatabase(port: number, database: string): string {
  const created = spawnSync(
    join(postgresBin(), 'createdb'),
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'kefu', database],
    { encoding: 'utf8' },
  )
  if (created.status !== 0 && !created.stderr.includes('already exists')) {
    throw new Error(`createdb ${database}: ${created.stderr.trim()}`)
  }
  return localDatabaseUrl(port, database)
}
