import { randomUUID } from 'node:crypto'
import { asUserId, type Cancel, type Clock } from '@kefu/shared'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../clock'
import { createLogger } from '../logger'
import { createMetrics } from '../metrics/prometheus'
import { PresenceView } from '../ports/Presence'
import { Leases } from './Leases'
import { LocalRedis } from './LocalRedis'
import { RedisBus } from './RedisBus'
import { RedisJobs } from './RedisJobs'
import { RedisLink } from './RedisLink'
import { RedisLocks } from './RedisLocks'
import { RedisPresence } from './RedisPresence'

// What the contracts cannot say: a node that dies without a word (its connections dropped, its
// timers gone) leaves nothing held. Real time, short leases; every wait is for the event itself.
const LEASE_MS = 300
const ada = asUserId('ada')

let redis: LocalRedis
const cleanups: (() => unknown)[] = []
beforeAll(async () => {
  redis = await LocalRedis.start()
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})
afterAll(() => redis.stop())

/** The real clock until the node dies; then none of its timers fire, as in a process that is gone. */
function mortalClock(): Clock & { halt(): void } {
  const pending = new Set<Cancel>()
  let halted = false
  return {
    now: systemClock.now,
    setTimeout(callback, delayMs) {
      if (halted) return () => {}
      const cancel = systemClock.setTimeout(() => {
        pending.delete(cancel)
        return callback()
      }, delayMs)
      pending.add(cancel)
      return () => {
        pending.delete(cancel)
        cancel()
      }
    },
    halt() {
      halted = true
      for (const cancel of pending) cancel()
    },
  }
}

async function node(namespace: string, nodeId: string) {
  const link = new RedisLink(redis.url, namespace, nodeId)
  await link.connect()
  const clock = mortalClock()
  const leases = new Leases(link, clock, LEASE_MS)
  let dead = false
  const die = () => {
    dead = true
    clock.halt()
    link.abandon()
  }
  cleanups.push(() => {
    clock.halt()
    return dead ? undefined : link.close()
  })
  return { link, clock, leases, die }
}

describe('a node that dies', () => {
  it('takes its users offline within a heartbeat', async () => {
    const namespace = randomUUID()
    const a = await node(namespace, 'a')
    const b = await node(namespace, 'b')
    const dying = new RedisPresence(a.link, a.clock, { heartbeatTtlMs: LEASE_MS })
    const staying = new RedisPresence(b.link, systemClock, { heartbeatTtlMs: LEASE_MS })
    cleanups.push(() => staying.close())
    const view = await PresenceView.of(staying)
    cleanups.push(view.stop)
    await dying.connect(ada)
    await expect.poll(() => view.isOnline(ada)).toBe(true)
    a.die()
    await expect.poll(() => view.isOnline(ada), { timeout: 5_000 }).toBe(false)
    expect(await staying.devices(ada)).toBe(0)
  })

  it('hands its schedules to a node that lives, and runs them once per beat meanwhile', async () => {
    const namespace = randomUUID()
    const logger = createLogger('silent')
    const runs = { a: 0, b: 0 }
    const nodes = await Promise.all(['a', 'b'].map((id) => node(namespace, id)))
    const [jobsA, jobsB] = nodes.map(
      ({ link, clock, leases }) => new RedisJobs(link, leases, clock, logger, createMetrics(), 50),
    )
    if (!jobsA || !jobsB || !nodes[0]) throw new Error('two nodes')
    cleanups.push(() => jobsB.stop())
    jobsA.every('tick', 20, async () => void runs.a++)
    await expect.poll(() => runs.a).toBeGreaterThan(0)
    jobsB.every('tick', 20, async () => void runs.b++)
    await expect.poll(() => runs.a).toBeGreaterThan(5)
    expect(runs.b).toBe(0)
    nodes[0].die()
    await expect.poll(() => runs.b, { timeout: 5_000 }).toBeGreaterThan(0)
  })

  it('leaves the one-shot jobs it scheduled to the others', async () => {
    const namespace = randomUUID()
    const logger = createLogger('silent')
    const ran: string[] = []
    const [a, b] = await Promise.all(['a', 'b'].map((id) => node(namespace, id)))
    if (!a || !b) throw new Error('two nodes')
    const [jobsA, jobsB] = [a, b].map(({ link, clock, leases }) => {
      const jobs = new RedisJobs(link, leases, clock, logger, createMetrics(), 50)
      jobs.define('grace', async (subject) => void ran.push(subject))
      return jobs
    })
    if (!jobsA || !jobsB) throw new Error('two nodes')
    cleanups.push(() => jobsB.stop())
    await jobsA.after('grace', 'agent-1', 100)
    a.die()
    await expect.poll(() => ran, { timeout: 5_000 }).toEqual(['agent-1'])
  })

  it('frees the locks it held once their lease runs out', async () => {
    const namespace = randomUUID()
    const a = await node(namespace, 'a')
    const b = await node(namespace, 'b')
    const locksA = await RedisLocks.open(a.link, a.leases, a.clock)
    const locksB = await RedisLocks.open(b.link, b.leases, b.clock)
    let entered: () => void = () => {}
    const inside = new Promise<void>((resolve) => (entered = resolve))
    void locksA.run('conversation:1', () => {
      entered()
      return new Promise(() => {})
    })
    await inside
    a.die()
    expect(await locksB.run('conversation:1', async () => 'mine now')).toBe('mine now')
  })
})

describe('a Redis that restarts', () => {
  it('carries fan-out again and counts every live connection again', async () => {
    const namespace = randomUUID()
    const a = await node(namespace, 'a')
    const b = await node(namespace, 'b')
    const presenceA = new RedisPresence(a.link, a.clock, { heartbeatTtlMs: LEASE_MS })
    cleanups.push(() => presenceA.close())
    await presenceA.connect(ada)
    const heard: string[] = []
    await new RedisBus(b.link).subscribe('user:ada', (payload) => heard.push(payload))
    await redis.restart()
    await expect.poll(() => a.link.ready && b.link.ready, { timeout: 10_000 }).toBe(true)
    const busA = new RedisBus(a.link)
    // Published until one arrives: the subscriber's SUBSCRIBE is sent again once it reconnects.
    await expect
      .poll(
        () => {
          busA.publish('user:ada', 'after the restart')
          return heard.length
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0)
    // Redis came back empty: the node counts its live connection in again at its next beat.
    await expect.poll(() => presenceA.devices(ada), { timeout: 5_000 }).toBe(1)
  })
})
