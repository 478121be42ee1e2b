import {
  ANGER_PRIORITY_BOOST,
  ANGER_THRESHOLD,
  type ConversationId,
  type EmotionReading,
  isOpen,
  type Logger,
} from '@kefu/shared'
import type { Conversations } from '../chat/Conversations'
import type { HistoryProjection } from '../chat/HistoryProjection'
import type { DomainEventMap } from '../events/DomainEvents'
import type { AlertCenter } from '../metrics/AlertCenter'
import type { RoutingQueue } from '../routing/RoutingQueue'

export interface EmotionStrategyDeps {
  conversations: Conversations
  history: HistoryProjection
  queue: Pick<RoutingQueue, 'reprioritize'>
  alerts: Pick<AlertCenter, 'angryCustomer'>
  logger: Logger
}

/**
 * What the service does when a customer is angry: the conversation moves up the real routing
 * queue and the team's supervisors are alerted, once per conversation. (The assistant hands such a
 * customer to a person by its own rule; the console suggests an empathetic reply.)
 */
export function emotionStrategy(deps: EmotionStrategyDeps) {
  return ({ conversation, emotion: reading }: DomainEventMap['message.stored']): undefined => {
    if (reading?.emotion !== 'anger' || reading.intensity < ANGER_THRESHOLD) return undefined
    flagAnger(deps, conversation.id, reading)
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

/**
 * Once per conversation an angry customer moves up the queue (past every calm customer), and the
 * history says so, which the console and the supervisors' alerts read.
 */
function flagAnger(deps: EmotionStrategyDeps, conversationId: ConversationId, reading: EmotionReading) {
  return deps.conversations.withConversation(conversationId, async (conversation) => {
    if (!isOpen(conversation.state) || (await deps.history.of(conversation)).angerFlagged) return false
    const priority = conversation.priority + ANGER_PRIORITY_BOOST
    await deps.queue.reprioritize(conversation, priority, {
      event: 'emotion.flagged',
      emotion: 'anger',
      intensity: Number(reading.intensity.toFixed(2)),
      priority,
    })
    return true
  })
}
