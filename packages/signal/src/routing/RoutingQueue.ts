import {
  type Clock,
  type Conversation,
  type ConversationEvent,
  type ConversationId,
  ConversationState,
  isOpen,
  type Logger,
  transition,
  type UserId,
} from '@kefu/shared'
import { type Conversations, OPEN_STATES } from '../chat/Conversations'
import type { Fanout } from '../chat/Fanout'
import type { HistoryProjection } from '../chat/HistoryProjection'
import type { MessageWriter } from '../chat/MessageWriter'
import type { Metrics } from '../metrics/prometheus'
import type { Locks } from '../ports/Locks'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository } from '../store/Repository'

export interface RoutingQueueDeps {
  repo: Repository
  conversations: Conversations
  writer: MessageWriter
  history: HistoryProjection
  router: RoutingState
  /** Frames for one person only (their place in line), outside any lifecycle change. */
  fanout: Pick<Fanout, 'toUsers'>
  locks: Locks
  clock: Clock
  metrics: Metrics
  logger: Logger
}

/**
 * The line of waiting conversations and the hand-over to agents: putting a conversation in line,
 * moving its priority, giving waiting conversations to free agents by the routing rules, telling
 * customers their place, taking back what an agent who left for good held, and rebuilding the line
 * from storage after a start.
 */
export class RoutingQueue {
  constructor(private readonly deps: RoutingQueueDeps) {}

  /** Puts the conversation in line (the caller holds its lock) and tells everyone its place. */
  async enqueue(conversation: Conversation, enqueuedAt: number): Promise<void> {
    const { id: conversationId, teamId, priority } = conversation
    const position = await this.deps.router.enqueue({ conversationId, teamId, priority, enqueuedAt })
    await this.deps.conversations.changed(conversation, { t: 'conversation.queued', conversation, position })
  }

  /** Takes the conversation out of line and off its agent's load: it was closed or moved on. */
  release(conversationId: ConversationId): Promise<void> {
    return this.deps.router.release(conversationId)
  }

  /** Hands waiting conversations to free agents and tells everyone concerned. */
  async runAssignment(): Promise<void> {
    const { router, clock, metrics, conversations } = this.deps
    for (const assignment of await router.assign(clock.now())) {
      metrics.assignments.inc({ team: assignment.teamId, overflow: String(assignment.viaOverflow) })
      await this.deps.locks.run(assignment.conversationId, async () => {
        const conversation = await this.deps.repo.getConversation(assignment.conversationId)
        if (!conversation || !transition(conversation.state, ConversationState.Assigned).ok) {
          await router.release(assignment.conversationId)
          return
        }
        const assigned = await conversations.update(conversation, {
          state: ConversationState.Assigned,
          agentId: assignment.agentId,
          teamId: assignment.teamId,
        })
        const agentName = await this.agentName(assignment.agentId)
        const updated = await this.deps.writer.writeEvent(assigned, {
          event: 'assigned',
          agentId: assignment.agentId,
          agentName,
        })
        await conversations.changed(updated, { t: 'conversation.assigned', conversation: updated, agentName })
      })
    }
    metrics.queueLength.set((await router.orderedQueue()).length)
  }

  /**
   * Runs assignment without the caller waiting on it (a customer writing into a closed
   * conversation holds its lock, which assignment takes too); a failure is logged.
   */
  assignSoon(conversationId: ConversationId): void {
    this.runAssignment().catch((error: unknown) =>
      this.deps.logger.error({ err: error, conversationId }, 'routing a reopened conversation failed'),
    )
  }

  /** Periodic work: overflow deadlines pass with time, and waiting customers see their place move. */
  async tick(): Promise<void> {
    await this.runAssignment()
    for (const { conversationId, position } of await this.deps.router.takeQueueMoves()) {
      const conversation = await this.deps.repo.getConversation(conversationId)
      if (conversation)
        this.deps.fanout.toUsers([conversation.customerId], {
          t: 'conversation.queued',
          conversation,
          position,
        })
    }
  }

  /**
   * Moves a conversation's priority by `delta` (and its place in line, while it waits), with the
   * event saying why: an emergency playbook's boost, and its undoing when switched off. Closed
   * conversations move too, so one reopened later waits at its own priority.
   */
  shiftPriority(
    conversationId: ConversationId,
    delta: number,
    why: (priority: number) => ConversationEvent,
  ): Promise<Conversation> {
    return this.deps.conversations.withConversation(conversationId, (conversation) => {
      const priority = conversation.priority + delta
      return this.reprioritize(conversation, priority, why(priority))
    })
  }

  /** Sets the priority of a conversation whose lock the caller holds, with the event saying why. */
  async reprioritize(
    conversation: Conversation,
    priority: number,
    why: ConversationEvent,
  ): Promise<Conversation> {
    const moved = await this.deps.conversations.update(conversation, { priority })
    await this.deps.router.reprioritize(conversation.id, priority)
    const updated = await this.deps.writer.writeEvent(moved, why)
    await this.deps.conversations.changed(updated, { t: 'conversation.updated', conversation: updated })
    return updated
  }

  /** Puts an agent's conversations back in line after the agent dropped for good. */
  async requeueFromAgent(agentId: UserId): Promise<void> {
    const { conversations, writer } = this.deps
    for (const conversationId of await this.deps.router.takeFromAgent(agentId)) {
      await conversations.withConversation(conversationId, async (conversation) => {
        if (conversation.agentId !== agentId || !isOpen(conversation.state)) return
        const requeued = await conversations.update(conversation, {
          state: ConversationState.Queued,
          agentId: null,
        })
        const updated = await writer.writeEvent(requeued, { event: 'requeued', fromAgentId: agentId })
        await this.enqueue(updated, conversation.queuedAt ?? conversation.createdAt)
      })
    }
    await this.runAssignment()
  }

  /** Rebuilds routing state from storage after a start or a crash. */
  async restore(): Promise<void> {
    const { repo, router } = this.deps
    for (const staff of await repo.listStaff())
      if (staff.role === 'agent' && staff.active)
        await router.upsertAgent({ id: staff.id, teams: staff.teams, capacity: staff.capacity })
    const open = await repo.listConversations({ states: OPEN_STATES, limit: Number.MAX_SAFE_INTEGER })
    // The store lists newest first; re-queue oldest first so equal priorities keep their arrival order.
    for (const conversation of open.reverse()) {
      if (conversation.agentId) await router.attach(conversation.id, conversation.agentId)
      // A conversation the assistant took and has not handed off is still the assistant's.
      else if ((await this.deps.history.of(conversation)).botHold) continue
      else
        await router.enqueue({
          conversationId: conversation.id,
          teamId: conversation.teamId,
          priority: conversation.priority,
          enqueuedAt: conversation.queuedAt ?? conversation.createdAt,
        })
    }
  }

  // Read from the store each time: a name cached here would stay stale on the nodes that did not rename.
  private async agentName(agentId: UserId): Promise<string> {
    return (await this.deps.repo.getStaff(agentId))?.displayName ?? 'Agent'
  }
}
