import type { Cancel } from '@kefu/shared'

/**
 * Work that must run once for the whole service, not once per node: the offline purge, the
 * assignment tick, an agent's grace timer. In-process it is a timer (`InProcessJobs`); a cluster
 * runs each under a lease (a PostgreSQL advisory lock or a Redis key with a TTL) that one node
 * holds at a time, and keeps one-shot timers in a shared table, so a node that dies does not take
 * a pending re-queue with it.
 */
export interface Jobs {
  /** Runs `work` every `intervalMs`, the next run only after this one finished; returns the stop function. */
  every(name: string, intervalMs: number, work: () => Promise<void>): Cancel
  /** Runs `work` once after `delayMs` unless cancelled first (by the returned function, or by a new `after` with the same key). */
  after(key: string, delayMs: number, work: () => Promise<void>): Cancel
  /** Cancels the one-shot job with this key, if it has not run yet. */
  cancel(key: string): void
  /** Stops everything scheduled. */
  stop(): void
}
