import type { Logger } from '@kefu/shared'
import type { Metrics } from '../metrics/prometheus'
import { BEHAVIOUR_WINDOW_MS } from '../proactive/ProactiveService'
import type { DeliveryRepository, MonitoringRepository, PlaybookRepository } from '../store/Repository'

/**
 * Upstream ids (WeChat MsgIds and nonces, LiveKit event ids) are kept this long: the upstreams retry
 * within minutes, and a WeChat nonce is refused by its timestamp long before this. Alert
 * conditions too.
 */
const UPSTREAM_IDS_KEPT_MS = 7 * 24 * 3600_000

/**
 * The scheduled purge's work: drops offline deliveries older than the retention period (72 h by
 * default), and upstream event ids and alert conditions taken more than a week ago (an angry
 * customer's condition never clears; a week on, the same customer raises a new alert), and the
 * shop's behaviour events after a day.
 */
export function purgeOfflineJob(options: {
  repo: Pick<DeliveryRepository, 'purgeOffline' | 'purgeWebhookEvents'> &
    Pick<MonitoringRepository, 'purgeAlertConditions'> &
    Pick<PlaybookRepository, 'purgeBehaviourEvents'>
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
    const forgotten = await repo.purgeWebhookEvents(now() - UPSTREAM_IDS_KEPT_MS)
    if (forgotten > 0) logger.info({ forgotten }, 'forgot upstream event ids older than a week')
    const cleared = await repo.purgeAlertConditions(now() - UPSTREAM_IDS_KEPT_MS)
    if (cleared > 0) logger.info({ cleared }, 'forgot alert conditions taken over a week ago')
    await repo.purgeBehaviourEvents(now() - BEHAVIOUR_WINDOW_MS)
  }
}
