import type { Logger } from '@kefu/shared'
import type { Metrics } from '../metrics/prometheus'
import type { DeliveryRepository } from '../store/Repository'

/** The scheduled purge's work: drops offline deliveries older than the retention period (72 h by default). */
export function purgeOfflineJob(options: {
  repo: DeliveryRepository
  now: () => number
  logger: Logger
  metrics: Metrics
  retentionMs: number
}): () => Promise<void> {
  const { repo, now, logger, metrics, retentionMs } = options
  return async () => {
    const purged = await repo.purgeOffline(now() - retentionMs)
    metrics.offlinePurged.inc(purged)
    if (purged > 0) logger.info({ purged }, 'purged expired offline messages')
  }
}
