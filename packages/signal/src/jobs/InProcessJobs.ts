import type { Cancel, Clock, Logger } from '@kefu/shared'
import type { Metrics } from '../metrics/prometheus'
import type { Jobs } from '../ports/Jobs'

/** Jobs on one node: timers on the server's clock. A failing run is logged and the schedule goes on. */
export class InProcessJobs implements Jobs {
  private readonly running = new Set<Cancel>()
  private readonly oneShots = new Map<string, Cancel>()

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
      const outcome = (await this.attempt(name, work)) ? 'ok' : 'failed'
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

  after(key: string, delayMs: number, work: () => Promise<void>): Cancel {
    this.oneShots.get(key)?.()
    const cancelTimer = this.clock.setTimeout(() => {
      this.oneShots.delete(key)
      void this.attempt(key, work)
    }, delayMs)
    const cancel = () => {
      cancelTimer()
      if (this.oneShots.get(key) === cancel) this.oneShots.delete(key)
    }
    this.oneShots.set(key, cancel)
    return cancel
  }

  cancel(key: string): void {
    this.oneShots.get(key)?.()
  }

  stop(): void {
    for (const stop of [...this.running]) stop()
    for (const cancel of [...this.oneShots.values()]) cancel()
  }

  private async attempt(name: string, work: () => Promise<void>): Promise<boolean> {
    try {
      await work()
      return true
    } catch (error) {
      this.logger.error({ err: error, job: name }, 'a scheduled job failed')
      return false
    }
  }
}
