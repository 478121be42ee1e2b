/** One account's failed sign-ins in a row, and the addresses it last signed in from. */
export interface LoginRecord {
  failures: number
  /** When the last failure was (ms); 0 with no failures. */
  lastFailedAt: number
  /** Most recent first. */
  trusted: readonly string[]
}

/**
 * Failed sign-ins per account, shared by every node (a hash per login in Redis), so that guessing
 * one account's password through several nodes is slowed as through one. What a failure costs is
 * the caller's rule (`LoginThrottle`); this only counts.
 */
export interface LoginAttempts {
  read(login: string): Promise<LoginRecord | undefined>
  /** One more failure at `at`, counted atomically however many nodes fail at once. */
  failed(login: string, at: number): Promise<void>
  /** Clears the failures and puts `address` first among the trusted, keeping the `keep` latest. */
  succeeded(login: string, address: string, keep: number): Promise<void>
}
