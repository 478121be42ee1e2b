// What every benchmark starts: a seeded data folder, the built server as its own process and,
// for voice, a real LiveKit. One place, so the benchmarks differ only in the load they apply.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { asTeamId, asUserId, PROTOCOL_VERSION } from '@kefu/shared'
import WebSocket from 'ws'
import { hashPassword } from '../src/auth/passwords'
import { signProfile } from '../src/auth/profileSignature'
import { LivekitProcess } from '../src/livekit/LivekitProcess'
import { ensureLivekitBinary } from '../src/livekit/livekitBinary'
import { LocalRedis } from '../src/redis/LocalRedis'
import { LocalPostgres } from '../src/store/LocalPostgres'
import { openPostgresRepository } from '../src/store/postgresRepository'
import type { Repository } from '../src/store/Repository'
import { openSqliteRepository } from '../src/store/sqliteRepository'
import { spawnListening } from './load'

const here = dirname(fileURLToPath(import.meta.url))
export const BENCH_PASSWORD = 'bench'
/** /metrics is closed outside development: the bench scrapes it with this token. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789'
const BENCH_APP_SECRET = 'bench-app-secret-0123'
// A benchmark that waits for a frame the server will never send fails with what it got instead.
const TAKE_TIMEOUT_MS = 30_000
const LIVEKIT_KEYS = { apiKey: 'bench-key', apiSecret: 'bench-livekit-secret-0123456789abcdefgh' }

/** A running server (and LiveKit) for one benchmark, with HTTP and socket shortcuts. */
export interface BenchStack {
  base: string
  port: number
  serverPid: number | undefined
  livekitUrl: string | undefined
  post<T = { token: string; url: string }>(path: string, body: object, token?: string): Promise<T>
  /** A session for a customer of the integrator on a mini-program platform, signed as its backend would. */
  platformCustomerToken(userId: string, platform: 'wechat' | 'alipay'): Promise<string>
  close(): Promise<void>
}

/** Seeds `agents` (login -> capacity) in team general, starts the built server and, if asked, LiveKit. */
export async function startBenchStack(options: {
  agents: Record<string, number>
  livekitPort?: number
}): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-'))
  await seedAgents(openSqliteRepository(join(dataDir, 'kefu.db')), options.agents)
  const livekitPort = options.livekitPort
  const { child, port } = await spawnBenchServer(dataDir, {
    ...(livekitPort
      ? {
          LIVEKIT_URL: `ws://127.0.0.1:${livekitPort}`,
          LIVEKIT_API_KEY: LIVEKIT_KEYS.apiKey,
          LIVEKIT_API_SECRET: LIVEKIT_KEYS.apiSecret,
        }
      : {}),
  })
  const base = `http://127.0.0.1:${port}`
  const livekit = livekitPort
    ? await LivekitProcess.start({
        binary: ensureLivekitBinary(join(here, '../../../.cache/livekit')),
        workDir: join(dataDir, 'livekit'),
        port: livekitPort,
        ...LIVEKIT_KEYS,
        webhookUrl: `${base}/livekit/webhook`,
      })
    : undefined

  const stack: BenchStack = {
    base,
    port,
    serverPid: child.pid,
    livekitUrl: livekit?.url,
    post: (path, body, token) => postJson(base, path, body, token),
    async platformCustomerToken(userId, platform) {
      const profile = JSON.stringify({
        userId,
        name: userId,
        vipLevel: 0,
        lastPurchaseAt: null,
        platform,
        iat: Math.floor(Date.now() / 1000),
      })
      const signature = signProfile(profile, BENCH_APP_SECRET)
      return (await stack.post('/api/customer/session', { profile, signature })).token
    },
    async close() {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
      await livekit?.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return stack
}

/** The team and agents every benchmark's store starts with, all in team general. */
async function seedAgents(repo: Repository, agents: Record<string, number>): Promise<void> {
  const passwordHash = await hashPassword(BENCH_PASSWORD)
  await repo.upsertTeam({ id: asTeamId('general'), name: 'General', answerTargetMs: 60_000 })
  for (const [login, capacity] of Object.entries(agents)) {
    await repo.createStaff({
      id: asUserId(`s_${login}`),
      login,
      displayName: login,
      role: 'agent',
      passwordHash,
      capacity,
      teams: [asTeamId('general')],
    })
  }
  await repo.close()
}

/** The built server as production starts it, in `dataDir`, with the benchmarks' secrets. */
function spawnBenchServer(dataDir: string, env: Record<string, string>) {
  return spawnListening(join(here, '../dist/src/main.js'), {
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    KEFU_DEV: '0',
    NODE_ENV: 'production',
    AUTH_RATE_LIMIT_PER_MIN: '1000000',
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdef',
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    APP_SECRET: BENCH_APP_SECRET,
    ...env,
  })
}

/** One node of a benchmark's cluster. */
export interface BenchNode {
  base: string
  pid: number | undefined
}

/**
 * `nodes` signal nodes of one cluster on a PostgreSQL and a Redis of their own (throwaway, on
 * loopback), the agents seeded in its store. Stopped, they take their stores with them.
 */
export async function startBenchCluster(options: { agents: Record<string, number>; nodes: number }): Promise<{
  nodes: BenchNode[]
  redisPid: number | undefined
  /** PostgreSQL's postmaster: its backends, one per connection, are its children. */
  postgresPid: number | undefined
  post: BenchStack['post']
  close(): Promise<void>
}> {
  const [postgres, redis] = await Promise.all([LocalPostgres.start(), LocalRedis.start()])
  const databaseUrl = await postgres.createDatabase('bench')
  await seedAgents(await openPostgresRepository(databaseUrl), options.agents)
  const folders: string[] = []
  const children: ChildProcess[] = []
  const nodes: BenchNode[] = []
  for (let index = 0; index < options.nodes; index++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-node-'))
    folders.push(dataDir)
    const { child, port } = await spawnBenchServer(dataDir, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      NODE_ID: `bench-${index + 1}`,
    })
    children.push(child)
    nodes.push({ base: `http://127.0.0.1:${port}`, pid: child.pid })
  }
  return {
    nodes,
    redisPid: redis.pid,
    postgresPid: postgres.pid,
    post: (path, body, token) => postJson(nodes[0]?.base ?? '', path, body, token),
    async close() {
      await Promise.all(
        children.map((child) => {
          child.kill('SIGTERM')
          return new Promise((resolve) => child.once('exit', resolve))
        }),
      )
      await redis.stop()
      postgres.stop()
      for (const folder of folders) rmSync(folder, { recursive: true, force: true })
    },
  }
}

async function postJson<T>(base: string, path: string, body: object, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return (await response.json()) as T
}

/** A signed-in socket that has said hello, with a way to wait for (and take) the next frame of a type. */
export function openBenchSocket(
  base: string,
  token: string,
  deviceId: string,
): Promise<{ ws: WebSocket; take: (t: string) => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`)
  const frames: Record<string, unknown>[] = []
  ws.on('message', (data, isBinary) => void (isBinary || frames.push(JSON.parse(data.toString()))))
  const take = async (t: string) => {
    const deadline = Date.now() + TAKE_TIMEOUT_MS
    while (Date.now() < deadline) {
      const index = frames.findIndex((frame) => frame.t === t)
      if (index >= 0) return frames.splice(index, 1)[0] ?? {}
      const refusal = frames.find((frame) => frame.t === 'error')
      if (refusal) throw new Error(`${deviceId} waited for ${t} and was refused: ${JSON.stringify(refusal)}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(
      `${deviceId} waited ${TAKE_TIMEOUT_MS} ms for ${t}; it received ${frames.map((f) => f.t)}`,
    )
  }
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId }))
      resolve({ ws, take })
    })
  })
}
