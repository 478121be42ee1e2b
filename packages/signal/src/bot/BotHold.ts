import {
  asUserId,
  type BotHandoffReason,
  type Clock,
  type Conversation,
  ConversationState,
} from '@kefu/shared'
import { assertTransition, type Conversations } from '../chat/Conversations'
import type { HistoryProjection } from '../chat/HistoryProjection'
import type { MessageWriter } from '../chat/MessageWriter'
import type { RoutingQueue } from '../routing/RoutingQueue'

/**
 * The assistant's hold on a conversation: from `bot.engaged` (a new conversation under BOT_FIRST,
 * or help offered unasked) until it hands the customer to a person or the customer says it solved
 * their problem. The hold is in the history, so every node and every restart agree on it.
 */
export class BotHold {
  constructor(
    private readonly deps: {
      conversations: Conversations
      writer: MessageWriter
      history: HistoryProjection
      queue: RoutingQueue
      clock: Clock
    },
  ) {}

  /** True while the assistant holds the conversation (no person asked for yet). */
  async holds(conversation: Conversation): Promise<boolean> {
    return (await this.deps.history.of(conversation)).botHold !== undefined
  }

  /**
   * The assistant passes the conversation to a person: recorded with the reason, then queued like
   * a new one. Waiting (ASA) starts here: the customer was being served until now.
   */
  async handOff(conversationId: Conversation['id'], reason: BotHandoffReason): Promise<Conversation> {
    const { conversations, writer, queue } = this.deps
    return conversations
      .withConversation(conversationId, async (conversation) => {
        if (!(await this.holds(conversation))) return conversation
        const now = this.deps.clock.now()
        const handed = await writer.writeEvent(conversation, { event: 'bot.handed_off', reason })
        const queued = await writer.writeEvent(await conversations.update(handed, { queuedAt: now }), {
          event: 'queued',
          teamId: conversation.teamId,
        })
        await queue.enqueue(queued, now)
        return queued
      })
      .finally(() => queue.runAssignment())
  }

  /** The customer said the assistant's answer solved it: resolved with no person involved. */
  async resolveByBot(conversationId: Conversation['id']): Promise<Conversation> {
    const { conversations, writer } = this.deps
    return conversations.withConversation(conversationId, async (conversation) => {
      if (!(await this.holds(conversation))) return conversation
      assertTransition(conversation, ConversationState.Resolved)
      const closed = await conversations.update(conversation, {
        state: ConversationState.Resolved,
        resolvedAt: this.deps.clock.now(),
      })
      const updated = await writer.writeEvent(closed, { event: 'resolved', by: asUserId('bot') })
      await conversations.changed(updated, { t: 'conversation.resolved', conversation: updated })
      return updated
    })
  }
}
