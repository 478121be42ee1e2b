import { ANGER_THRESHOLD, type Logger } from '@kefu/shared'
import type { Lifecycle } from '../chat/Lifecycle'
import type { DomainEventMap } from '../events/DomainEvents'
import type { AlertCenter } from '../metrics/AlertCenter'

/**
 * What the service does when a customer is angry: the conversation moves up the real routing
 * queue and the team's supervisors are alerted, once per conversation. (The assistant hands such a
 * customer to a person by its own rule; the console suggests an empathetic reply.)
 */
export function emotionStrategy(deps: {
  lifecycle: Pick<Lifecycle, 'flagAnger'>
  alerts: Pick<AlertCenter, 'angryCustomer'>
  logger: Logger
}) {
  return ({ conversation, emotion: reading }: DomainEventMap['message.stored']): undefined => {
    if (reading?.emotion !== 'anger' || reading.intensity < ANGER_THRESHOLD) return undefined
    deps.lifecycle
      .flagAnger(conversation.id, reading)
      .then((flagged) => (flagged ? deps.alerts.angryCustomer(conversation, reading.intensity) : undefined))
      .catch((error: unknown) =>
        deps.logger.error(
          { err: error, conversationId: conversation.id },
          'an angry customer was not flagged',
        ),
      )
    return undefined
  }
}
