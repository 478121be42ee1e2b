import { randomUUID } from 'node:crypto'
import type { Clock } from '@kefu/shared'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { systemClock } from '../clock'
import { createLogger } from '../logger'
import { createMetrics } from '../metrics/prometheus'
import { describeBusContract } from '../ports/contracts/busContract'
import { describeHallSeatsContract } from '../ports/contracts/hallSeatsContract'
import { describeJobsContract } from '../ports/contracts/jobsContract'
import { describeLocksContract } from '../ports/contracts/locksContract'
import { describeLoginAttemptsContract } from '../ports/contracts/loginAttemptsContract'
import { describePresenceContract } from '../ports/contracts/presenceContract'
import { describeRateLimitsContract } from '../ports/contracts/rateLimitsContract'
import { describeRoomClaimsContract } from '../ports/contracts/roomClaimsContract'
import { describeRoutingStateContract } from '../ports/contracts/routingStateContract'
import { Leases } from './Leases'
import { LocalRedis } from './LocalRedis'
import { RedisBus } from './RedisBus'
import { RedisHallSeats } from './RedisHallSeats'
import { RedisJobs } from './RedisJobs'
import { RedisLink } from './RedisLink'
import { RedisLocks } from './RedisLocks'
import { RedisLoginAttempts } from './RedisLoginAttempts'
import { RedisPresence } from './RedisPresence'
import { RedisRateLimits } from './RedisRateLimits'
import { RedisRoomClaims } from './RedisRoomClaims'
import { RedisRoutingState } from './RedisRoutingState'

// Every contract the in-process ports pass, on a real Redis, each handle a node of its own: two
// links (four connections) under one fresh namespace per test.
let redis: LocalRedis
const opened: (() => Promise<void> | void)[] = []
beforeAll(async () => {
  redis = await LocalRedis.start()
})
// In order: what uses a link closes before the link.
afterEach(async () => {
  for (const close of opened.splice(0)) await close()
})
afterAll(() => redis.stop())

async function twoNodes<T>(build: (link: RedisLink) => T | Promise<T>) {
  const namespace = randomUUID()
  const nodes = await Promise.all(
    ['here', 'there'].map(async (nodeId) => {
      const link = new RedisLink(redis.url, namespace, nodeId)
      await link.connect()
      opened.push(() => link.close())
      return build(link)
    }),
  )
  return { here: nodes[0] as T, there: nodes[1] as T, close: async () => {} }
}

function leasesOf(link: RedisLink, clock: Clock = systemClock): Leases {
  const leases = new Leases(link, clock, 10_000)
  opened.push(leases.stop)
  return leases
}

describeBusContract('Redis', () => twoNodes((link) => new RedisBus(link)))
describePresenceContract('Redis', () =>
  twoNodes((link) => {
    const presence = new RedisPresence(link, systemClock)
    opened.unshift(() => presence.close())
    return presence
  }),
)
describeLocksContract('Redis', () => twoNodes((link) => RedisLocks.open(link, leasesOf(link), systemClock)))
describeRoomClaimsContract('Redis', () => twoNodes((link) => new RedisRoomClaims(leasesOf(link))))
describeRoutingStateContract('Redis', (config) => twoNodes((link) => new RedisRoutingState(link, config)))
describeJobsContract('Redis', (clock) =>
  twoNodes(
    (link) => new RedisJobs(link, leasesOf(link, clock), clock, createLogger('silent'), createMetrics()),
  ),
)
describeRateLimitsContract('Redis', (clock) => twoNodes((link) => new RedisRateLimits(link, clock)))
describeLoginAttemptsContract('Redis', () => twoNodes((link) => new RedisLoginAttempts(link)))
describeHallSeatsContract('Redis', (capacity, clock) =>
  twoNodes((link) => new RedisHallSeats(link, capacity, clock.now)),
)
