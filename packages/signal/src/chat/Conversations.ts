import {
  type Clock,
  type Conversation,
  type ConversationId,
  ConversationState,
  KefuError,
  transition,
} from '@kefu/shared'
import type { ConversationFrame, DomainEvents } from '../events/DomainEvents'
import type { Locks } from '../ports/Locks'
import type { ConversationPatch, Repository } from '../store/Repository'

/** The states of a conversation someone is still working on (or waiting in). */
export const OPEN_STATES: readonly ConversationState[] = [
  ConversationState.Queued,
  ConversationState.Assigned,
  ConversationState.Active,
  ConversationState.Reopened,
]

/**
 * Conversations read under their lock, changed and announced: every change to one is a
 * read-modify-write in order, and everyone concerned hears of it through `conversation.changed`.
 * Each capability (the lifecycle, routing, the assistant, voice, the hall) changes conversations
 * through this one place.
 */
export class Conversations {
  constructor(
    private readonly repo: Repository,
    private readonly locks: Locks,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
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

  /** Stores a change of the conversation's fields (the caller holds its lock), stamped now. */
  update(conversation: Conversation, patch: Omit<ConversationPatch, 'updatedAt'>): Promise<Conversation> {
    return this.repo.updateConversation(conversation.id, { ...patch, updatedAt: this.clock.now() })
  }

  /** Tells the conversation's people and team that it changed. */
  changed(conversation: Conversation, frame: ConversationFrame): Promise<void> {
    return this.events.publish('conversation.changed', { conversation, frame })
  }

  /** A transfer: the former agent and the team it left are told too, so their lists drop it. */
  transferred(before: Conversation, after: Conversation): Promise<void> {
    return this.events.publish('conversation.changed', {
      conversation: after,
      frame: { t: 'conversation.transferred', conversation: after, fromAgentId: before.agentId },
      alsoTo: before.agentId ? [before.agentId] : [],
      formerTeamId: before.teamId,
    })
  }
}

/** Refuses a change the conversation's state machine does not allow, with `invalid_transition`. */
export function assertTransition(conversation: Conversation, to: ConversationState): void {
  const result = transition(conversation.state, to)
  if (!result.ok) throw result.error
}
