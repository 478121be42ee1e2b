import type { Cancel, Clock, Logger } from '@kefu/shared'
import type { Metrics } from '../http/metrics'
import type { Repository } from '../store/Repository'

/** Drops offline deliveries older than the retention period (72 h by default). */
export async function purgeExpiredOffline(
  repo: Repository,
  now: number,
  retentionMs: number,
): Promise<number> {
  return repo.purgeOffline(now - retentionMs)
}

/** Runs the purge every `intervalMs` until the returned function is called. */
export function schedulePurge(options: {
  repo: Repository
  clock: Clock
  logger: Logger
  metrics: Metrics
  retentionMs: number
  intervalMs: number
}): Cancel {
  const { repo, clock, logger, metrics, retentionMs, intervalMs } = options
  let cancel: Cancel = () => {}
  let stopped = false
  const run = async () => {
    try {
      const purged = await purgeExpiredOffline(repo, clock.now(), retentionMs)
      metrics.offlinePurged.inc(purged)
      if (purged > 0) logger.info({ purged }, 'purged expired offline messages')
    } catch (error) {
      logger.error({ err: error }, 'offline purge failed')
    }
    if (!stopped) cancel = clock.setTimeout(run, intervalMs)
  }
  cancel = clock.setTimeout(run, intervalMs)
  return () => {
    stopped = true
    cancel()
  }
}
