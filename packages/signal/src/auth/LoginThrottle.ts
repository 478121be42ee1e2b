import { ErrorCode, KefuError } from '@kefu/shared'
import { LRUCache } from 'lru-cache'

const FREE_FAILURES = 5
const FIRST_PAUSE_MS = 30_000
const LONGEST_PAUSE_MS = 15 * 60_000
const TRUSTED_ADDRESSES = 8

interface AccountAttempts {
  failures: number
  pausedUntil: number
  /** Addresses this login last signed in from successfully: a pause never applies to them. */
  trusted: string[]
}

/**
 * Slows password guessing per account, from any number of addresses: after five failures in a
 * row, attempts from addresses the account has not signed in from pause for 30 s, doubling to 15
 * min. An attacker cannot use it to lock the real agent out, because the address they last signed
 * in from is exempt. Unknown logins are throttled exactly like known ones, so the pause says
 * nothing about which accounts exist.
 */
export class LoginThrottle {
  private readonly accounts = new LRUCache<string, AccountAttempts>({ max: 10_000 })

  constructor(private readonly now: () => number) {}

  /** Throws `rate_limited` when this account is paused for this address. */
  check(login: string, address: string): void {
    const account = this.accounts.get(login)
    if (!account || account.trusted.includes(address)) return
    const waitMs = account.pausedUntil - this.now()
    if (waitMs > 0)
      throw new KefuError(
        ErrorCode.RateLimited,
        `Too many failed attempts for this login; try again in ${Math.ceil(waitMs / 1000)} s`,
      )
  }

  failed(login: string): void {
    const account = this.accounts.get(login) ?? { failures: 0, pausedUntil: 0, trusted: [] }
    account.failures++
    if (account.failures >= FREE_FAILURES) {
      const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (account.failures - FREE_FAILURES))
      account.pausedUntil = this.now() + pause
    }
    this.accounts.set(login, account)
  }

  succeeded(login: string, address: string): void {
    const trusted = (this.accounts.get(login)?.trusted ?? []).filter((known) => known !== address)
    this.accounts.set(login, {
      failures: 0,
      pausedUntil: 0,
      trusted: [address, ...trusted].slice(0, TRUSTED_ADDRESSES),
    })
  }
}
