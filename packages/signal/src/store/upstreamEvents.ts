import type { DeliveryRepository } from './Repository'

/**
 * Handles an upstream event (a WeChat push, a LiveKit webhook) unless it was handled before, and
 * records its id only once `handle` has finished: an event that failed half-way is taken again
 * when the upstream retries it. `handle` must therefore be safe to run twice (its writes keyed by
 * the upstream id), which is what makes recording afterwards safe.
 */
export async function handleUpstreamEventOnce(
  repo: Pick<DeliveryRepository, 'hasWebhookEvent' | 'recordWebhookEvent'>,
  id: string,
  now: () => number,
  handle: () => Promise<void>,
): Promise<void> {
  if (await repo.hasWebhookEvent(id)) return
  await handle()
  await repo.recordWebhookEvent(id, now())
}
