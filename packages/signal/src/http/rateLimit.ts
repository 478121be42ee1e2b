import { ErrorCode, KefuError, TokenBucket } from '@kefu/shared'
import type { RequestHandler } from 'express'

const FORGET_AFTER_MS = 10 * 60 * 1000

/** Per-IP token buckets for endpoints worth guessing at (logins, sessions). */
export function limitPerIp(ratePerMinute: number, now: () => number): RequestHandler {
  const buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>()
  let sweptAt = now()
  return (request, _response, next) => {
    const at = now()
    if (at - sweptAt > FORGET_AFTER_MS) {
      for (const [ip, entry] of buckets) if (at - entry.seenAt > FORGET_AFTER_MS) buckets.delete(ip)
      sweptAt = at
    }
    const ip = request.ip ?? 'unknown'
    let entry = buckets.get(ip)
    if (!entry) {
      entry = { bucket: new TokenBucket(ratePerMinute / 60, ratePerMinute, at), seenAt: at }
      buckets.set(ip, entry)
    }
    entry.seenAt = at
    if (!entry.bucket.tryTake(at))
      return next(new KefuError(ErrorCode.RateLimited, 'Too many attempts; wait a minute'))
    next()
  }
}
