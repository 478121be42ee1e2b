import { asTeamId, asUserId, DEFAULT_BOT_POLICY, DEFAULT_ROUTING_CONFIG, type Experiment } from '@kefu/shared'
import { ManualClock } from '@kefu/shared/testing'
import { afterEach } from 'vitest'
import type { Session } from '../auth/sessionTokens'
import type { Ports } from '../core'
import { assembleCore, portsOf, restoreCore } from '../core'
import { createLogger } from '../logger'
import { createMetrics } from '../metrics/prometheus'
import type { Repository } from '../store/Repository'
import { openSqliteRepository } from '../store/sqliteRepository'

// The chat core in process, for unit tests of it and of what is built on it: SQLite in memory, a
// clock the test moves, no sockets and no timers of its own.

export const general = asTeamId('general')
export const GRACE_MS = 30_000

export const customer = (id: string): Session => ({
  userId: asUserId(id),
  role: 'customer',
  displayName: id,
  teams: [],
  isGuest: false,
  channel: 'web',
})
export const alice: Session = {
  userId: asUserId('alice'),
  role: 'agent',
  displayName: 'Alice',
  teams: [general],
  isGuest: false,
}

/** One node's chat core on SQLite in memory and a clock the test moves: no sockets, no timers of its own. */
export async function coreOn(
  repo: Repository,
  options: { botFirst?: boolean; experiments?: Experiment[]; clock?: ManualClock } = {},
) {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 11, 7, 9))
  const logger = createLogger('silent')
  const metrics = createMetrics()
  const ports: Ports = portsOf(
    { routing: DEFAULT_ROUTING_CONFIG, hallShardCapacity: 1 },
    {},
    clock,
    logger,
    metrics,
  )
  let ids = 0
  const core = await assembleCore({
    config: {
      routing: DEFAULT_ROUTING_CONFIG,
      experiments: options.experiments ?? [],
      bot: { first: options.botFirst ?? false, policy: DEFAULT_BOT_POLICY },
      agentGraceMs: GRACE_MS,
    },
    repo,
    ports,
    clock,
    ids: { newId: () => `id${++ids}` },
    logger,
    metrics,
  })
  await restoreCore(core)
  // Frames each person would see on every device, in order.
  const seen: string[] = []
  await ports.bus.subscribe('user:ada', (payload) => {
    const frame = JSON.parse(payload)
    seen.push(frame.t === 'message.new' ? `${frame.message.kind}:${frame.message.body}` : frame.t)
  })
  return { core, clock, ports, seen, logger }
}

export async function storeWithAlice(): Promise<Repository> {
  const repo = openSqliteRepository(':memory:')
  for (const team of DEFAULT_ROUTING_CONFIG.teams)
    await repo.upsertTeam({ id: team.id, name: team.name, answerTargetMs: team.answerTargetMs })
  await repo.createStaff({
    id: alice.userId,
    login: 'alice',
    displayName: 'Alice',
    role: 'agent',
    passwordHash: 'x',
    capacity: 1,
    teams: [general],
  })
  return repo
}

/**
 * Stores with Alice in them, each closed after the test that opened it: call inside a `describe`,
 * and open one per test with what it returns.
 */
export function storesClosedAfterEach(): () => Promise<Repository> {
  const stores: Repository[] = []
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
  })
  return async () => {
    const repo = await storeWithAlice()
    stores.push(repo)
    return repo
  }
}
