import { ErrorCode, KefuError, TokenBucket } from '@kefu/shared'
import type { Request, RequestHandler } from 'express'

const FORGET_AFTER_MS = 10 * 60 * 1000

/**
 * Token buckets by key (an IP, a person): each kind of request has its own limiter, so photos
 * uploaded from one office's IP do not use up its staff's logins.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>()
  private sweptAt: number

  constructor(
    private readonly ratePerMinute: number,
    private readonly now: () => number,
  ) {
    this.sweptAt = now()
  }

  /** Takes one token for `key`; `rate_limited` when there is none left. */
  take(key: string): void {
    const at = this.now()
    if (at - this.sweptAt > FORGET_AFTER_MS) {
      for (const [old, entry] of this.buckets)
        if (at - entry.seenAt > FORGET_AFTER_MS) this.buckets.delete(old)
      this.sweptAt = at
    }
    let entry = this.buckets.get(key)
    if (!entry) {
      entry = { bucket: new TokenBucket(this.ratePerMinute / 60, this.ratePerMinute, at), seenAt: at }
      this.buckets.set(key, entry)
    }
    entry.seenAt = at
    if (!entry.bucket.tryTake(at))
      throw new KefuError(ErrorCode.RateLimited, 'Too many attempts; wait a minute')
  }

  /** The limiter as middleware keyed by the caller's IP. */
  perIp(): RequestHandler {
    return (request: Request, _response, next) => {
      try {
        this.take(request.ip ?? 'unknown')
        next()
      } catch (error) {
        next(error)
      }
    }
  }
}
