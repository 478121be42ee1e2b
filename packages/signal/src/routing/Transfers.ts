import {
  type Clock,
  type Conversation,
  ConversationState,
  KefuError,
  type RoutingConfig,
  type TeamId,
  type UserId,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import { assertCanWrite, assertStaff } from '../chat/access'
import { assertTransition, type Conversations } from '../chat/Conversations'
import type { MessageWriter } from '../chat/MessageWriter'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository } from '../store/Repository'
import type { RoutingQueue } from './RoutingQueue'

/** A transfer asked for by an agent. */
export interface TransferRequest {
  conversationId: Conversation['id']
  toTeamId?: TeamId | undefined
  toAgentId?: UserId | undefined
  note?: string | undefined
}

export interface TransfersDeps {
  repo: Repository
  conversations: Conversations
  writer: MessageWriter
  router: RoutingState
  queue: RoutingQueue
  routing: RoutingConfig
  clock: Clock
}

/**
 * An agent hands a conversation on: to a team's queue (keeping the customer's place in line) or
 * straight to an available colleague below capacity, with a note the customer never reads.
 */
export class Transfers {
  constructor(private readonly deps: TransfersDeps) {}

  async transfer(session: Session, request: TransferRequest): Promise<Conversation> {
    assertStaff(session)
    return this.deps.conversations
      .withConversation(request.conversationId, (conversation) => {
        assertCanWrite(session, conversation)
        return request.toAgentId
          ? this.toAgent(session, conversation, request.toAgentId, request)
          : this.toTeam(session, conversation, request)
      })
      .finally(() => this.deps.queue.runAssignment())
  }

  private async toTeam(session: Session, conversation: Conversation, request: TransferRequest) {
    const { conversations, writer, queue } = this.deps
    const toTeamId = request.toTeamId ?? conversation.teamId
    if (!this.deps.routing.teams.some((team) => team.id === toTeamId))
      throw KefuError.notFound(`Team ${toTeamId}`)
    assertTransition(conversation, ConversationState.Queued)
    await queue.release(conversation.id)
    const moved = await conversations.update(conversation, {
      state: ConversationState.Queued,
      teamId: toTeamId,
      agentId: null,
    })
    const updated = await writer.writeEvent(moved, {
      event: 'transferred',
      fromAgentId: conversation.agentId,
      toTeamId,
      ...(await this.keepNote(session, conversation, request)),
    })
    await conversations.transferred(conversation, updated)
    // A transferred customer has already waited once: keep their original place in line.
    await queue.enqueue(updated, conversation.queuedAt ?? conversation.createdAt)
    return updated
  }

  private async toAgent(
    session: Session,
    conversation: Conversation,
    agentId: UserId,
    request: TransferRequest,
  ) {
    const { conversations, router } = this.deps
    const agent = await this.deps.repo.getStaff(agentId)
    if (!agent) throw KefuError.notFound(`Agent ${agentId}`)
    if ((await router.agentStatus(agentId)) !== 'available')
      throw KefuError.badRequest(`${agent.displayName} is not available`)
    assertTransition(conversation, ConversationState.Assigned)
    // The capacity check and the count are one step, so two transfers at once cannot both fit.
    if (!(await router.attach(conversation.id, agentId, agent.capacity)))
      throw KefuError.badRequest(`${agent.displayName} is at capacity`)
    const teamId = agent.teams.includes(conversation.teamId)
      ? conversation.teamId
      : (agent.teams[0] ?? conversation.teamId)
    const moved = await conversations.update(conversation, {
      state: ConversationState.Assigned,
      agentId,
      teamId,
    })
    const updated = await this.deps.writer.writeEvent(moved, {
      event: 'transferred',
      fromAgentId: conversation.agentId,
      toAgentId: agentId,
      agentName: agent.displayName,
      ...(await this.keepNote(session, conversation, request)),
    })
    await conversations.transferred(conversation, updated)
    return updated
  }

  /** Keeps the handover note beside the history (never in it: the customer reads the history). */
  private async keepNote(
    session: Session,
    conversation: Conversation,
    request: TransferRequest,
  ): Promise<{ hasNote?: true }> {
    const note = request.note?.trim()
    if (!note) return {}
    await this.deps.repo.addHandoverNote(conversation.id, {
      at: this.deps.clock.now(),
      authorId: session.userId,
      authorName: session.displayName,
      note,
    })
    return { hasNote: true }
  }
}
