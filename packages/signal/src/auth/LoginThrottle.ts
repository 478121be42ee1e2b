import { ErrorCode, KefuError } from '@kefu/shared'
import type { LoginAttempts } from '../ports/LoginAttempts'

const FREE_FAILURES = 5
const FIRST_PAUSE_MS = 30_000
const LONGEST_PAUSE_MS = 15 * 60_000
const TRUSTED_ADDRESSES = 8

/**
 * Slows password guessing per account, from any number of addresses and through any node: after
 * five failures in a row, attempts from addresses the account has not signed in from pause for
 * 30 s, doubling to 15 min. An attacker cannot use it to lock the real agent out, because the
 * address they last signed in from is exempt. Unknown logins are throttled exactly like known
 * ones, so the pause says nothing about which accounts exist.
 */
export class LoginThrottle {
  constructor(
    private readonly attempts: LoginAttempts,
    private readonly now: () => number,
  ) {}

  /** Throws `rate_limited` when this account is paused for this address. */
  async check(login: string, address: string): Promise<void> {
    const account = await this.attempts.read(login)
    if (!account || account.failures < FREE_FAILURES || account.trusted.includes(address)) return
    const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (account.failures - FREE_FAILURES))
    const waitMs = account.lastFailedAt + pause - this.now()
    if (waitMs > 0)
      throw new KefuError(
        ErrorCode.RateLimited,
        `Too many failed attempts for this login; try again in ${Math.ceil(waitMs / 1000)} s`,
      )
  }

  failed(login: string): Promise<void> {
    return this.attempts.failed(login, this.now())
  }

  succeeded(login: string, address: string): Promise<void> {
    return this.attempts.succeeded(login, address, TRUSTED_ADDRESSES)
  }
}
