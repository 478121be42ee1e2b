import type { DomainEventMap } from '../events/DomainEvents'
import type { Metrics } from './prometheus'

/** A `message.stored` handler counting people's messages by role and kind (lifecycle events are not messages). */
export function countStoredMessages(metrics: Metrics) {
  return ({ message }: DomainEventMap['message.stored']): void => {
    if (message.kind !== 'event') metrics.messages.inc({ role: message.authorRole, kind: message.kind })
  }
}
