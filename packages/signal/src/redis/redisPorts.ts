import type { Clock, Logger, RoutingConfig } from '@kefu/shared'
import type { Ports } from '../core'
import type { Metrics } from '../metrics/prometheus'
import { Leases } from './Leases'
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

// What a node holds (a schedule, a lock, a voice room) passes to another this long after it dies.
const LEASE_MS = 10_000

export interface RedisSettings {
  url: string
  /** Where this deployment's keys begin: one Redis may serve several. */
  namespace: string
  nodeId: string
  /** The routing policy the cluster starts with, if no node has routed yet. */
  routing: RoutingConfig
  hallShardCapacity: number
}

/** One node's ports on the cluster's Redis, and what it owes the others when it stops. */
export interface RedisPorts {
  ports: Ports
  /** False while Redis cannot be reached: `/readyz` says so and the load balancer looks elsewhere. */
  readonly ready: () => boolean
  /** Calls `handler` each time this node is back on Redis after losing it; returns the stop. */
  onRecovered(handler: () => void): () => void
  close(): Promise<void>
}

export async function openRedisPorts(
  { url, namespace, nodeId, routing, hallShardCapacity }: RedisSettings,
  clock: Clock,
  logger: Logger,
  metrics: Pick<Metrics, 'jobRuns'>,
): Promise<RedisPorts> {
  const link = new RedisLink(url, namespace, nodeId)
  await link.connect()
  const leases = new Leases(link, clock, LEASE_MS)
  const presence = new RedisPresence(link, clock, { heartbeatTtlMs: LEASE_MS })
  const ports: Ports = {
    bus: new RedisBus(link),
    presence,
    locks: await RedisLocks.open(link, leases, clock),
    jobs: new RedisJobs(link, leases, clock, logger, metrics),
    router: new RedisRoutingState(link, routing),
    roomClaims: new RedisRoomClaims(leases),
    rateLimits: new RedisRateLimits(link, clock),
    loginAttempts: new RedisLoginAttempts(link),
    hallSeats: new RedisHallSeats(link, hallShardCapacity, clock.now),
  }
  logger.info({ nodeId }, 'one node of a cluster: shared state in Redis')
  return {
    ports,
    ready: () => link.ready,
    onRecovered: (handler) => link.onRecovered(handler),
    async close() {
      leases.stop()
      // Its users go offline now rather than when its heartbeat would have expired.
      await presence.close().catch(() => {})
      await link.close()
    },
  }
}
