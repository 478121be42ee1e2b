import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LivekitProcess } from '../livekit/LivekitProcess'
import { ensureLivekitBinary } from '../livekit/livekitBinary'
import { LocalRedis } from '../redis/LocalRedis'
import { LocalPostgres, localDatabase } from '../store/LocalPostgres'

const LIVEKIT_KEY = 'kefu-dev-key'
const LIVEKIT_SECRET = 'kefu3d-dev-livekit-secret-do-not-use-in-production'

export interface DevClusterOptions {
  /** Where everything the cluster keeps lives: the databases, the nodes' folders, the logs. */
  folder: string
  /** The signal package's folder: its build is what each node runs. */
  signalDir: string
  livekitCacheDir: string
  clientDist: string | undefined
  /** The load balancer's port; the signal nodes take the next ones. */
  port: number
  signalNodes: number
  livekitNodes: number
  /** The first LiveKit node's port; each next one ten above (each takes its port and two more). */
  livekitPort: number
  /** Existing servers to use instead of starting them. */
  databaseUrl?: string | undefined
  redisUrl?: string | undefined
  say: (line: string) => void
}

/** A process of the cluster that is stopped with a signal and waited for. */
interface Member {
  name: string
  stop(): Promise<void>
}

/**
 * A whole cluster on this machine, as `kefu cluster` starts it: PostgreSQL and Redis (Debian's, in
 * a folder of the project, unless URLs are given), LiveKit nodes in their multi-node mode over
 * that Redis, signal nodes running the built server, and HAProxy in front with WebSocket upgrade and
 * active health checks on `/readyz`. Each child runs in its own process group, so the terminal's
 * Ctrl-C reaches only this process, which stops them in order: front to back.
 */
export class DevCluster {
  private constructor(
    readonly folder: string,
    readonly url: string,
    readonly nodeUrls: string[],
    readonly livekitUrls: string[],
    private readonly members: Member[],
  ) {}

  static async start(options: DevClusterOptions): Promise<DevCluster> {
    const members: Member[] = []
    try {
      return await DevCluster.startInOrder(options, members)
    } catch (error) {
      for (const member of members.reverse()) await member.stop().catch(() => {})
      throw error
    }
  }

  private static async startInOrder(options: DevClusterOptions, members: Member[]): Promise<DevCluster> {
    const { folder, say } = options
    mkdirSync(folder, { recursive: true })
    const url = `http://127.0.0.1:${options.port}`

    let databaseUrl = options.databaseUrl
    if (!databaseUrl) {
      const postgres = await LocalPostgres.start(join(folder, 'postgres'))
      members.push({ name: 'PostgreSQL', stop: async () => postgres.stop() })
      databaseUrl = localDatabase(postgres.port, 'kefu')
      say(`  PostgreSQL      ${databaseUrl}`)
    }
    let redisUrl = options.redisUrl
    if (!redisUrl) {
      const redis = await LocalRedis.start(join(folder, 'redis'))
      members.push({ name: 'Redis', stop: () => redis.stop() })
      redisUrl = redis.url
      say(`  Redis           ${redisUrl}`)
    }

    const binary = ensureLivekitBinary(options.livekitCacheDir, say)
    const livekitUrls: string[] = []
    for (let index = 0; index < options.livekitNodes; index++) {
      const livekit = await LivekitProcess.start({
        binary,
        workDir: join(folder, `livekit-${index + 1}`),
        port: options.livekitPort + 10 * index,
        // An address of its own, so LiveKit tells its nodes apart as it would separate hosts.
        host: `127.0.0.${index + 1}`,
        apiKey: LIVEKIT_KEY,
        apiSecret: LIVEKIT_SECRET,
        webhookUrl: `${url}/livekit/webhook`,
        redisAddress: new URL(redisUrl).host,
      })
      members.push({ name: `LiveKit ${index + 1}`, stop: () => livekit.stop() })
      livekitUrls.push(livekit.url)
    }

    const nodeUrls: string[] = []
    // One after another: the first brings the schema up to date and seeds the demo staff.
    for (let index = 0; index < options.signalNodes; index++) {
      const port = options.port + 1 + index
      const node = await startSignalNode(options, index, port, {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        // Its own LiveKit node first, the others after it for when that one is down.
        LIVEKIT_URL: rotated(livekitUrls, index).join(','),
        PUBLIC_URL: url,
      })
      members.push(node)
      nodeUrls.push(`http://127.0.0.1:${port}`)
    }

    members.push(await startBalancer(folder, options.port, nodeUrls))
    await untilReady(url)
    return new DevCluster(folder, url, nodeUrls, livekitUrls, members)
  }

  /** Stops everything, the load balancer first and the stores last, each before the next. */
  async stop(): Promise<void> {
    for (const member of [...this.members].reverse()) await member.stop()
  }
}

async function startSignalNode(
  options: DevClusterOptions,
  index: number,
  port: number,
  shared: Record<string, string>,
): Promise<Member> {
  const name = `node-${index + 1}`
  const dataDir = join(options.folder, name)
  mkdirSync(dataDir, { recursive: true })
  const env = {
    ...process.env,
    ...shared,
    KEFU_DEV: '1',
    BOT_FIRST: process.env.BOT_FIRST ?? '1',
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ID: name,
    DATA_DIR: dataDir,
    // The nodes see callers through the load balancer on loopback.
    TRUST_PROXY: 'loopback',
    ...(options.clientDist ? { CLIENT_DIST: options.clientDist } : {}),
  }
  const entry = join(options.signalDir, 'dist/src/main.js')
  const child = spawn(process.execPath, ['--max-semi-space-size=64', entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const log = createWriteStream(join(options.folder, `${name}.log`), { flags: 'a' })
  child.stderr?.pipe(log)
  await new Promise<void>((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk
      log.write(chunk)
      if (!seen.includes('"msg":"listening"')) return
      child.stdout?.off('data', onData)
      child.stdout?.pipe(log)
      resolve()
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}; see ${log.path}`)))
  })
  return { name, stop: () => stopChild(child, 'SIGTERM') }
}

/** HAProxy in front: least connections, WebSockets passed through, a node out while `/readyz` fails. */
async function startBalancer(folder: string, port: number, nodeUrls: string[]): Promise<Member> {
  if (spawnSync('haproxy', ['-v']).status !== 0)
    throw new Error('HAProxy is not installed: apt-get install -y haproxy')
  const servers = nodeUrls.map(
    (nodeUrl, index) => `  server node-${index + 1} ${new URL(nodeUrl).host} check`,
  )
  const configPath = join(folder, 'haproxy.cfg')
  writeFileSync(
    configPath,
    [
      // No global maxconn: HAProxy sizes it from the descriptors the system gives it.
      'global',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      // A WebSocket is a tunnel once upgraded; the protocol's heartbeat keeps it well inside this.
      '  timeout tunnel 1h',
      'frontend kefu',
      `  bind 127.0.0.1:${port}`,
      '  option forwardfor',
      '  default_backend nodes',
      'backend nodes',
      '  balance leastconn',
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      '  default-server inter 1s fall 2 rise 2',
      ...servers,
      '',
    ].join('\n'),
  )
  const child = spawn('haproxy', ['-db', '-f', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const logPath = join(folder, 'haproxy.log')
  const log = createWriteStream(logPath, { flags: 'a' })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  child.once('exit', (code) => {
    if (code) process.stderr.write(`HAProxy exited with ${code}; see ${logPath}\n`)
  })
  return { name: 'HAProxy', stop: () => stopChild(child, 'SIGTERM') }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill(signal)
  await exited
}

async function untilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the load balancer at ${url} found no ready node`)
}

/** Whether the client was built, so the cluster's pages can be served. */
export function builtClient(signalDir: string): string | undefined {
  const dist = join(signalDir, '../client/dist')
  return existsSync(join(dist, 'index.html')) ? dist : undefined
}

/** `items` starting from the one at `start`, wrapping round. */
function rotated<T>(items: readonly T[], start: number): T[] {
  const from = start % Math.max(items.length, 1)
  return [...items.slice(from), ...items.slice(0, from)]
}
