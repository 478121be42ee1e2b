import type { Cancel, Clock, Logger } from '@kefu/shared'
import type { Metrics } from '../metrics/prometheus'
import type { Jobs } from '../ports/Jobs'

const jobKey = (kind: string, subject: string) => `${kind}:${subject}`

/** Jobs on one node: timers on the server's clock. A failing run is logged and the schedule goes on. */
export class InProcessJobs implements Jobs {
  private readonly running = new Set<Cancel>()
  private readonly oneShots = new Map<string, Cancel>()
  private readonly kinds = new Map<string, (subject: string) => Promise<void>>()

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: Pick<Metrics, 'jobRuns'>,
  ) {}

  every(name: string, intervalMs: number, work: () => Promise<void>): Cancel {
    let cancelTimer: Cancel = () => {}
    let stopped = false
    const run = async () => {
      // Counted by name for the schedules only: one-shot keys are per conversation, too many to label.
      const outcome = (await runLogged(this.logger, name, work)) ? 'ok' : 'failed'
      this.metrics.jobRuns.inc({ job: name, outcome })
      if (!stopped) cancelTimer = this.clock.setTimeout(run, intervalMs)
    }
    cancelTimer = this.clock.setTimeout(run, intervalMs)
    const stop = () => {
      stopped = true
      cancelTimer()
      this.running.delete(stop)
    }
    this.running.add(stop)
    return stop
  }

  define(kind: string, work: (subject: string) => Promise<void>): void {
    this.kinds.set(kind, work)
  }

  async after(kind: string, subject: string, delayMs: number): Promise<void> {
    const work = this.kinds.get(kind)
    if (!work) throw new Error(`No job of kind ${kind} is defined`)
    const key = jobKey(kind, subject)
    this.oneShots.get(key)?.()
    // The run's promise goes back to the clock, so a manual clock can wait for the work it started.
    const cancelTimer = this.clock.setTimeout(() => {
      this.oneShots.delete(key)
      return runLogged(this.logger, key, () => work(subject))
    }, delayMs)
    const cancel = () => {
      cancelTimer()
      if (this.oneShots.get(key) === cancel) this.oneShots.delete(key)
    }
    this.oneShots.set(key, cancel)
  }

  async cancel(kind: string, subject: string): Promise<void> {
    this.oneShots.get(jobKey(kind, subject))?.()
  }

  stop(): void {
    for (const stop of [...this.running]) stop()
    for (const cancel of [...this.oneShots.values()]) cancel()
  }
}

/** Runs one job's work; a failure is logged, not thrown, so the schedule that ran it goes on. */
export async function runLogged(logger: Logger, job: string, work: () => Promise<void>): Promise<boolean> {
  try {
    await work()
    return true
  } catch (error) {
    logger.error({ err: error, job }, 'a scheduled job failed')
    return false
  }
}
