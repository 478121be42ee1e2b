import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { asTeamId, asUserId, type Cancel, type Clock } from '@kefu/shared'
import {
  hashPassword,
  type KefuServer,
  loadConfig,
  localDatabase,
  type ServerOverrides,
  signProfile,
  startServer,
} from '@kefu/signal'
import { inject } from 'vitest'
import { TestClient } from './TestClient'
import { until } from './until'

/** The dev app secret the test servers use; integrator profiles are signed with it. */
export const TEST_APP_SECRET = 'test-app-secret-0123456789'

const NO_EXPERIMENTS = join(dirname(fileURLToPath(import.meta.url)), 'no-experiments.json')

/**
 * The PostgreSQL database and Redis namespace of a data folder, when the run is a cluster's
 * (`clusterStores.ts`): one of each per folder, so a server restarted on the same folder finds its
 * data as it would in SQLite, and two servers given one store are two nodes of one cluster.
 */
function clusterFor(dataDir: string): Record<string, string> {
  if (!onCluster) return {}
  const name = `kefu_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`
  return {
    DATABASE_URL: localDatabase(Number(inject('postgresPort')), name),
    REDIS_URL: inject('redisUrl'),
    REDIS_NAMESPACE: name,
  }
}

/**
 * What the nodes of one new cluster share on the `cluster` project: a database and a Redis
 * namespace of their own. Each node still needs a data folder of its own.
 */
export function sharedClusterEnv(): Record<string, string> {
  const name = `kefu_cluster_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  return {
    DATABASE_URL: localDatabase(Number(inject('postgresPort')), name),
    REDIS_URL: inject('redisUrl'),
    REDIS_NAMESPACE: name,
  }
}

/** True on the `cluster` project, where every server is a cluster's node. */
export const onCluster = process.env.KEFU_TEST_STORE === 'cluster'

/**
 * A routing file (ROUTING_CONFIG_FILE) in `dataDir`: a team `id` of that name beside general, the
 * fallback, and a rule sending `when` to it. Returns its path.
 */
export function writeRoutingFile(
  dataDir: string,
  team: { id: string; name: string; answerTargetMs: number },
  when: Record<string, unknown>,
): string {
  const file = join(dataDir, 'routing.json')
  const routing = {
    teams: [team, { id: 'general', name: 'General support', answerTargetMs: 60_000 }],
    rules: [{ team: team.id, when }],
    fallbackTeam: 'general',
  }
  writeFileSync(file, JSON.stringify(routing))
  return file
}

/** Environment every test server shares: loopback, a fresh data folder, quiet logs. */
export function testEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    ...(env.DATABASE_URL ? {} : clusterFor(dataDir)),
    KEFU_DEV: '1',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    APP_SECRET: TEST_APP_SECRET,
    AGENT_GRACE_MS: '0',
    ROUTING_TICK_MS: '200',
    RATE_LIMIT_PER_S: '10000',
    RATE_LIMIT_BURST: '10000',
    AUTH_RATE_LIMIT_PER_MIN: '100000',
    // Development runs the demo's greeting experiment; tests that want experiments name their own.
    EXPERIMENTS_FILE: NO_EXPERIMENTS,
    ...env,
  }
}

export interface CustomerProfile {
  userId: string
  name?: string
  vipLevel?: number
  lastPurchaseAt?: number | null
  platform?: 'web' | 'wechat' | 'alipay' | 'app'
  language?: string
}

/**
 * The real clock, moved forward by hand: the server's timers run in real time, and a test that
 * needs time to have passed between two acts (a first response slower than a limit) jumps instead
 * of sleeping.
 */
export class ShiftedClock implements Clock {
  private shiftMs = 0
  now = () => Date.now() + this.shiftMs
  setTimeout(callback: () => void, delayMs: number): Cancel {
    const timer = setTimeout(callback, delayMs)
    return () => clearTimeout(timer)
  }
  jump(ms: number): void {
    this.shiftMs += ms
  }
}

/** A real server on a loopback port with a throwaway SQLite file, and shortcuts to people. */
export class TestServer {
  private constructor(
    readonly server: KefuServer,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {}

  static async start(
    env: Record<string, string> = {},
    dataDir?: string,
    overrides: ServerOverrides = {},
  ): Promise<TestServer> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kefu-test-'))
    const server = await startServer(loadConfig(testEnv(dir, env)), overrides)
    // Tests read answers ranked as they will be for good, not by words in the first seconds.
    await server.meaningReady
    return new TestServer(server, dir, dataDir === undefined)
  }

  get url(): string {
    return this.server.url
  }

  async stop(): Promise<void> {
    await this.server.close()
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true })
  }

  async post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as T }
  }

  async get<T = Record<string, unknown>>(path: string, token?: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    return { status: response.status, body: (await response.json()) as T }
  }

  /** How often the scheduled job `job` has run to its end (from `/metrics`). */
  async jobRuns(job: string): Promise<number> {
    const scrape = await (await fetch(`${this.url}/metrics`)).text()
    const line = scrape
      .split('\n')
      .find((row) => row.startsWith(`kefu_job_runs_total{job="${job}",outcome="ok"}`))
    return Number(line?.split(' ').at(-1) ?? 0)
  }

  /**
   * Waits until `job` has run `runs` more times: what a test that checks that something did not
   * happen on a schedule waits for, instead of a sleep that hopes the schedule ran.
   */
  async jobRunsMore(job: string, runs: number): Promise<void> {
    const target = (await this.jobRuns(job)) + runs
    const reached = await until(
      () => this.jobRuns(job),
      (count) => count >= target,
      15_000,
    )
    if (reached < target) throw new Error(`${job} ran ${reached} times, not ${target}`)
  }

  /** A guest customer's session token. */
  async guestToken(): Promise<string> {
    const { body } = await this.post<{ token: string }>('/api/customer/session', {})
    return body.token
  }

  /** A signed customer's session token, signed as the integrator's backend would. */
  async customerToken(profile: CustomerProfile): Promise<string> {
    const json = JSON.stringify({
      userId: profile.userId,
      name: profile.name ?? profile.userId,
      vipLevel: profile.vipLevel ?? 0,
      lastPurchaseAt: profile.lastPurchaseAt ?? null,
      platform: profile.platform ?? 'web',
      ...(profile.language && { language: profile.language }),
      iat: Math.floor(Date.now() / 1000),
    })
    const { status, body } = await this.post<{ token: string }>('/api/customer/session', {
      profile: json,
      signature: signProfile(json, TEST_APP_SECRET),
    })
    if (status !== 200) throw new Error(`customer session failed: ${status} ${JSON.stringify(body)}`)
    return body.token
  }

  /** Creates an agent (or a supervisor) directly in the store and logs them in. */
  async agentToken(
    login: string,
    teams: string[],
    capacity: number,
    role: 'agent' | 'supervisor' = 'agent',
  ): Promise<string> {
    const existing = await this.server.repo.findStaffByLogin(login)
    if (!existing) {
      await this.server.repo.createStaff({
        id: asUserId(`s_${login}`),
        login,
        displayName: login,
        role,
        passwordHash: await hashPassword('pw'),
        capacity,
        teams: teams.map(asTeamId),
      })
    }
    const { body } = await this.post<{ token: string }>('/api/agent/login', { login, password: 'pw' })
    return body.token
  }

  /** Opens a socket, says hello and waits for the welcome. */
  async connect(token: string, deviceId = 'device-1'): Promise<TestClient> {
    const client = await TestClient.open(`${this.url.replace('http', 'ws')}/ws?token=${token}`)
    await client.hello(deviceId)
    return client
  }
}
