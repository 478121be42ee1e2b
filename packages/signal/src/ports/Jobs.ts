import type { Cancel } from '@kefu/shared'

/**
 * Work that must run once for the whole service, not once per node: the offline purge, the
 * assignment tick, an agent's grace timer. In-process it is a timer (`local/InProcessJobs`); a
 * cluster runs each schedule under a lease (a Redis key with a TTL) that one node holds at a time,
 * and keeps one-shot jobs in a shared table, so a node that dies does not take a pending re-queue
 * with it. That is why a one-shot job names a kind defined at start, not a closure: any node can
 * run a job that another scheduled.
 */
export interface Jobs {
  /** Runs `work` every `intervalMs`, the next run only after this one finished; returns the stop function. */
  every(name: string, intervalMs: number, work: () => Promise<void>): Cancel
  /** Says what a one-shot job of this kind does for its subject; every node defines the same kinds. */
  define(kind: string, work: (subject: string) => Promise<void>): void
  /** Runs the kind's work for `subject` once after `delayMs`, replacing a pending job of the same kind and subject. */
  after(kind: string, subject: string, delayMs: number): Promise<void>
  /** Cancels the pending job of this kind and subject, if it has not run yet. */
  cancel(kind: string, subject: string): Promise<void>
  /** Stops everything scheduled on this node. */
  stop(): void
}
