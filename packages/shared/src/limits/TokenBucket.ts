/**
 * A token bucket: `burst` actions at once, refilled at `ratePerSecond`. Time is passed in so the
 * same limiter works on any platform and in tests.
 */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.updatedAt = now
  }

  /** Takes one token if there is one. */
  tryTake(now: number): boolean {
    const elapsedS = Math.max(0, now - this.updatedAt) / 1000
    this.tokens = Math.min(this.burst, this.tokens + elapsedS * this.ratePerSecond)
    this.updatedAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
