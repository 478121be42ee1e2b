import { LRUCache } from 'lru-cache'
import type { LoginAttempts, LoginRecord } from '../ports/LoginAttempts'

// Enough accounts for any team and a guessing run at unknown logins; the oldest are forgotten.
const REMEMBERED_LOGINS = 10_000

/** Failed sign-ins on one node, in memory. */
export class LocalLoginAttempts implements LoginAttempts {
  private readonly accounts = new LRUCache<string, LoginRecord>({ max: REMEMBERED_LOGINS })

  async read(login: string): Promise<LoginRecord | undefined> {
    return this.accounts.get(login)
  }

  async failed(login: string, at: number): Promise<void> {
    const known = this.accounts.get(login)
    this.accounts.set(login, {
      failures: (known?.failures ?? 0) + 1,
      lastFailedAt: at,
      trusted: known?.trusted ?? [],
    })
  }

  async succeeded(login: string, address: string, keep: number): Promise<void> {
    const others = (this.accounts.get(login)?.trusted ?? []).filter((known) => known !== address)
    this.accounts.set(login, { failures: 0, lastFailedAt: 0, trusted: [address, ...others].slice(0, keep) })
  }
}
