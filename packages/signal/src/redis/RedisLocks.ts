import { randomUUID } from 'node:crypto'
import type { Clock } from '@kefu/shared'
import { KeyedLock } from '../local/KeyedLock'
import type { Locks } from '../ports/Locks'
import type { Leases } from './Leases'
import type { RedisLink } from './RedisLink'

const RELEASED = 'locks:released'
// A waiter also tries again this often, for a holder that died without giving the lease back.
const RETRY_MS = 500

/**
 * Locks for a cluster: work under one key runs one at a time on this node in the order given
 * (`KeyedLock`), and one at a time across nodes under a Redis lease per key, renewed while the
 * work runs and expiring if its node dies. A waiting node is woken when the lease is given back.
 */
export class RedisLocks implements Locks {
  private readonly here = new KeyedLock()
  private readonly waiters = new Map<string, Set<() => void>>()

  private constructor(
    private readonly link: RedisLink,
    private readonly leases: Leases,
    private readonly clock: Clock,
  ) {}

  static async open(link: RedisLink, leases: Leases, clock: Clock): Promise<RedisLocks> {
    const locks = new RedisLocks(link, leases, clock)
    await link.subscribe(RELEASED, (name) => {
      for (const wake of locks.waiters.get(name) ?? []) wake()
    })
    return locks
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.here.run(key, async () => {
      const name = `lock:${key}`
      const holder = randomUUID()
      await this.acquire(name, holder)
      try {
        return await work()
      } finally {
        await this.leases.giveBack(name, holder, RELEASED).catch(() => {
          // Redis is away: the lease expires by itself.
        })
      }
    })
  }

  private async acquire(name: string, holder: string): Promise<void> {
    const fullName = this.link.key(name)
    for (;;) {
      // Listening before trying, so a release between the try and the wait still wakes us.
      let wake: () => void = () => {}
      const woken = new Promise<void>((resolve) => (wake = resolve))
      const waiting = this.waiters.get(fullName) ?? new Set()
      this.waiters.set(fullName, waiting)
      waiting.add(wake)
      const cancelRetry = this.clock.setTimeout(wake, RETRY_MS)
      try {
        if (await this.leases.take(name, holder)) return
        await woken
      } finally {
        cancelRetry()
        waiting.delete(wake)
        if (waiting.size === 0) this.waiters.delete(fullName)
      }
    }
  }
}
