import { ErrorCode, KefuError } from '@kefu/shared'
import type { Request, RequestHandler } from 'express'
import type { RateLimits } from '../ports/RateLimits'

/**
 * One kind of request's limit, by key (an IP, a person), over the shared rate limits: each kind
 * has its own buckets, so photos uploaded from one office's IP do not use up its staff's logins.
 */
export class RateLimiter {
  constructor(
    private readonly limits: RateLimits,
    private readonly kind: string,
    private readonly perMinute: number,
  ) {}

  /** Takes one token for `key`; `rate_limited` when there is none left. */
  async take(key: string): Promise<void> {
    if (!(await this.limits.take(`${this.kind}:${key}`, this.perMinute)))
      throw new KefuError(ErrorCode.RateLimited, 'Too many attempts; wait a minute')
  }

  /** The limiter as middleware keyed by the caller's IP. */
  perIp(): RequestHandler {
    return (request: Request, _response, next) => {
      this.take(request.ip ?? 'unknown').then(() => next(), next)
    }
  }
}
