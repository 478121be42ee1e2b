import type { Session } from '../auth/sessionTokens'
import { type Conversations, OPEN_STATES } from '../chat/Conversations'
import type { HistoryProjection } from '../chat/HistoryProjection'
import type { MessageWriter } from '../chat/MessageWriter'
import type { Repository } from '../store/Repository'

/**
 * A customer's steps into the 3D hall, recorded once per open spell of their conversation (the
 * `hall` channel of the figures). Staff in the hall and customers with no open conversation leave
 * no trace.
 */
export class HallVisits {
  constructor(
    private readonly deps: {
      repo: Repository
      conversations: Conversations
      writer: MessageWriter
      history: HistoryProjection
    },
  ) {}

  async recordHallVisit(session: Session): Promise<void> {
    if (session.role !== 'customer') return
    const [open] = await this.deps.repo.listConversations({
      customerId: session.userId,
      states: OPEN_STATES,
      limit: 1,
    })
    if (!open) return
    await this.deps.conversations.withConversation(open.id, async (conversation) => {
      if ((await this.deps.history.of(conversation)).hallEntered) return
      await this.deps.writer.writeEvent(conversation, { event: 'hall.entered' })
    })
  }
}
