import { type Clock, TokenBucket } from '@kefu/shared'
import type { RateLimits } from '../ports/RateLimits'

// A key unseen this long has a full bucket again anyway: forgetting it changes nothing.
const FORGET_AFTER_MS = 10 * 60 * 1000

/** Rate limits on one node: a token bucket per key, idle ones swept now and then. */
export class LocalRateLimits implements RateLimits {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>()
  private sweptAt: number

  constructor(private readonly clock: Clock) {
    this.sweptAt = clock.now()
  }

  async take(key: string, perMinute: number): Promise<boolean> {
    const at = this.clock.now()
    if (at - this.sweptAt > FORGET_AFTER_MS) {
      for (const [old, entry] of this.buckets)
        if (at - entry.seenAt > FORGET_AFTER_MS) this.buckets.delete(old)
      this.sweptAt = at
    }
    let entry = this.buckets.get(key)
    if (!entry) {
      entry = { bucket: new TokenBucket(perMinute / 60, perMinute, at), seenAt: at }
      this.buckets.set(key, entry)
    }
    entry.seenAt = at
    return entry.bucket.tryTake(at)
  }
}
