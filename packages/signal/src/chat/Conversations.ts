import { type Conversation, type ConversationId, KefuError } from '@kefu/shared'
import type { Locks } from '../ports/Locks'
import type { Repository } from '../store/Repository'

/** Conversations read under their lock: every change to one is a read-modify-write in order. */
export class Conversations {
  constructor(
    private readonly repo: Repository,
    private readonly locks: Locks,
  ) {}

  /** Runs `work` on the current state of a conversation under its lock; `not_found` when there is none. */
  withConversation<T>(
    conversationId: ConversationId,
    work: (conversation: Conversation) => Promise<T>,
  ): Promise<T> {
    return this.locks.run(conversationId, async () => {
      const conversation = await this.repo.getConversation(conversationId)
      if (!conversation) throw KefuError.notFound('Conversation')
      return work(conversation)
    })
  }
}
