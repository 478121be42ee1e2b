import {
  asConversationId,
  asUserId,
  type Channel,
  type Conversation,
  type ConversationId,
  ConversationState,
  ErrorCode,
  isKefuError,
  isOpen,
  KefuError,
  newClientMessageId,
  priorityOf,
  type ServerFrame,
  selectTeam,
  type TeamId,
  transition,
  type UserId,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { VoiceEvent } from '../livekit/webhooks'
import type { ConversationPatch } from '../store/Repository'
import { assertCanView, assertCanWrite, assertStaff } from './access'
import type { ChatContext } from './context'

const SYSTEM = asUserId('system')
const OPEN_STATES = [
  ConversationState.Queued,
  ConversationState.Assigned,
  ConversationState.Active,
  ConversationState.Reopened,
]

/** A transfer asked for by an agent. */
export interface TransferRequest {
  conversationId: ConversationId
  toTeamId?: TeamId | undefined
  toAgentId?: UserId | undefined
  note?: string | undefined
}

/** Moves conversations through their life: open, route, assign, transfer, resolve, reopen. */
export class Lifecycle {
  private readonly staffNames = new Map<UserId, string>()
  private readonly lastPositions = new Map<ConversationId, number>()

  constructor(private readonly ctx: ChatContext) {}

  /** Returns the customer's open conversation, or opens and routes a new one. */
  async open(session: Session, channel: Channel): Promise<Conversation> {
    if (session.role !== 'customer') throw KefuError.forbidden('Only customers open conversations')
    const conversation = await this.ctx.locks.run(`customer:${session.userId}`, async () => {
      const [existing] = await this.ctx.repo.listConversations({
        customerId: session.userId,
        states: OPEN_STATES,
        limit: 1,
      })
      if (existing) return existing
      return this.createAndQueue(session, channel)
    })
    this.ctx.fanout.toUsers([session.userId], { t: 'conversation.opened', conversation })
    await this.runAssignment()
    return (await this.ctx.repo.getConversation(conversation.id)) ?? conversation
  }

  private async createAndQueue(session: Session, channel: Channel): Promise<Conversation> {
    const { repo, clock, routing } = this.ctx
    const now = clock.now()
    const customer = await repo.getCustomer(session.userId)
    const traits = {
      vipLevel: customer?.vipLevel ?? 0,
      lastPurchaseAt: customer?.lastPurchaseAt ?? null,
      channel,
    }
    const conversation = await repo.createConversation({
      id: asConversationId(`c_${this.ctx.ids.newId()}`),
      customerId: session.userId,
      customerName: customer?.displayName || session.displayName,
      channel,
      teamId: selectTeam(routing, traits, now),
      priority: priorityOf(traits),
      createdAt: now,
    })
    const recorded = await this.appendEvent(conversation, { event: 'queued', teamId: conversation.teamId })
    this.enqueue(recorded, now)
    return recorded
  }

  private enqueue(conversation: Conversation, enqueuedAt: number): void {
    const { id: conversationId, teamId, priority } = conversation
    this.ctx.router.enqueue({ conversationId, teamId, priority, enqueuedAt })
    const position = this.ctx.router.queuePosition(conversation.id) ?? 1
    this.lastPositions.set(conversation.id, position)
    this.ctx.fanout.conversationChanged(conversation, { t: 'conversation.queued', conversation, position })
  }

  /** Hands waiting conversations to free agents and tells everyone concerned. */
  async runAssignment(): Promise<void> {
    const { router, clock, metrics } = this.ctx
    for (const assignment of router.assign(clock.now())) {
      metrics.assignments.inc({ team: assignment.teamId, overflow: String(assignment.viaOverflow) })
      this.lastPositions.delete(assignment.conversationId)
      await this.ctx.locks.run(assignment.conversationId, async () => {
        const conversation = await this.ctx.repo.getConversation(assignment.conversationId)
        if (!conversation || !transition(conversation.state, ConversationState.Assigned).ok) {
          router.release(assignment.conversationId)
          return
        }
        const assigned = await this.update(conversation, {
          state: ConversationState.Assigned,
          agentId: assignment.agentId,
          teamId: assignment.teamId,
        })
        const agentName = await this.agentName(assignment.agentId)
        const updated = await this.appendEvent(assigned, {
          event: 'assigned',
          agentId: assignment.agentId,
          agentName,
        })
        this.ctx.fanout.conversationChanged(updated, {
          t: 'conversation.assigned',
          conversation: updated,
          agentName,
        })
      })
    }
    metrics.queueLength.set(router.queueLength())
  }

  /** Periodic work: overflow deadlines pass with time, and waiting customers see their place move. */
  async tick(): Promise<void> {
    await this.runAssignment()
    const queue = this.ctx.router.orderedQueue()
    for (const [index, entry] of queue.entries()) {
      const position = index + 1
      if (this.lastPositions.get(entry.conversationId) === position) continue
      this.lastPositions.set(entry.conversationId, position)
      const conversation = await this.ctx.repo.getConversation(entry.conversationId)
      if (conversation)
        this.ctx.fanout.toUsers([conversation.customerId], {
          t: 'conversation.queued',
          conversation,
          position,
        })
    }
  }

  async transfer(session: Session, request: TransferRequest): Promise<Conversation> {
    assertStaff(session)
    return this.withConversation(request.conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      if (request.toAgentId) return this.transferToAgent(conversation, request.toAgentId)
      const toTeamId = request.toTeamId ?? conversation.teamId
      if (!this.ctx.routing.teams.some((team) => team.id === toTeamId))
        throw KefuError.notFound(`Team ${toTeamId}`)
      this.assertTransition(conversation, ConversationState.Queued)
      this.ctx.router.release(conversation.id)
      const moved = await this.update(conversation, {
        state: ConversationState.Queued,
        teamId: toTeamId,
        agentId: null,
      })
      const updated = await this.appendEvent(moved, {
        event: 'transferred',
        fromAgentId: conversation.agentId,
        toTeamId,
      })
      this.ctx.fanout.conversationChanged(
        updated,
        { t: 'conversation.transferred', conversation: updated, fromAgentId: conversation.agentId },
        this.formerAgent(conversation),
        conversation.teamId,
      )
      if (conversation.voiceRoom && conversation.agentId)
        await this.ctx.voice?.remove(conversation.voiceRoom, conversation.agentId)
      // A transferred customer has already waited once: keep their original place in line.
      this.enqueue(updated, conversation.queuedAt ?? conversation.createdAt)
      return updated
    }).finally(() => this.runAssignment())
  }

  private async transferToAgent(conversation: Conversation, agentId: UserId): Promise<Conversation> {
    const agent = await this.ctx.repo.getStaff(agentId)
    if (!agent) throw KefuError.notFound(`Agent ${agentId}`)
    if (this.ctx.router.agentStatus(agentId) !== 'available')
      throw KefuError.badRequest(`${agent.displayName} is not available`)
    if (this.ctx.router.load(agentId) >= agent.capacity)
      throw KefuError.badRequest(`${agent.displayName} is at capacity`)
    this.assertTransition(conversation, ConversationState.Assigned)
    this.ctx.router.attach(conversation.id, agentId)
    const teamId = agent.teams.includes(conversation.teamId)
      ? conversation.teamId
      : (agent.teams[0] ?? conversation.teamId)
    const moved = await this.update(conversation, { state: ConversationState.Assigned, agentId, teamId })
    const updated = await this.appendEvent(moved, {
      event: 'transferred',
      fromAgentId: conversation.agentId,
      toAgentId: agentId,
      agentName: agent.displayName,
    })
    this.ctx.fanout.conversationChanged(
      updated,
      { t: 'conversation.transferred', conversation: updated, fromAgentId: conversation.agentId },
      this.formerAgent(conversation),
      conversation.teamId,
    )
    return updated
  }

  /** Closes a conversation. A customer leaving before anyone answered abandons it instead. */
  async resolve(session: Session, conversationId: ConversationId): Promise<Conversation> {
    return this.withConversation(conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      const abandons = session.role === 'customer' && conversation.state === ConversationState.Queued
      const to = abandons ? ConversationState.Abandoned : ConversationState.Resolved
      this.assertTransition(conversation, to)
      this.ctx.router.release(conversation.id)
      this.lastPositions.delete(conversation.id)
      const closed = await this.update(conversation, { state: to, resolvedAt: this.ctx.clock.now() })
      const updated = await this.appendEvent(closed, { event: to, by: session.userId })
      if (conversation.voiceRoom) await this.ctx.voice?.close(conversation.voiceRoom)
      const frame: ServerFrame = abandons
        ? { t: 'conversation.abandoned', conversation: updated }
        : { t: 'conversation.resolved', conversation: updated }
      this.ctx.fanout.conversationChanged(updated, frame)
      return updated
    }).finally(() => this.runAssignment())
  }

  /** The customer asks for voice: the conversation gets a room and its agent sees the invitation. */
  async startVoice(session: Session, conversationId: ConversationId): Promise<Conversation> {
    const voice = this.ctx.voice
    if (!voice) throw new KefuError(ErrorCode.VoiceUnavailable, 'Voice is not available on this server')
    if (session.role !== 'customer') throw KefuError.forbidden('Only the customer starts a voice call')
    return this.withConversation(conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      if (!isOpen(conversation.state)) throw KefuError.invalidTransition(conversation.state, 'voice')
      if (conversation.voiceRoom) return conversation
      const voiceRoom = await voice.open(conversation.id)
      const withRoom = await this.update(conversation, { voiceRoom })
      const updated = await this.appendEvent(withRoom, { event: 'voice.requested' })
      this.ctx.fanout.conversationChanged(updated, { t: 'conversation.updated', conversation: updated })
      return updated
    })
  }

  /** A verified LiveKit event: into the history; an agent's first audio is the first response. */
  async recordVoiceEvent(conversationId: ConversationId, event: VoiceEvent, at: number): Promise<void> {
    await this.withConversation(conversationId, async (conversation) => {
      // LiveKit names the participant on join and leave but not on every event: the history always does.
      const named =
        event.name || !event.identity
          ? event
          : { ...event, name: await this.nameOf(conversation, event.identity) }
      const recorded = await this.appendEvent(conversation, { ...named })
      const isAgentAudio = event.event === 'voice.audio_published' && event.identity === conversation.agentId
      if (isAgentAudio) await this.markFirstResponse(recorded, at)
    }).catch((error: unknown) => {
      // A room that is no conversation (or one deleted since) has nowhere to record to.
      if (!(isKefuError(error) && error.code === ErrorCode.NotFound)) throw error
    })
  }

  /** The customer comes back: the conversation is routed again like a new one, keeping its history. */
  async reopen(session: Session, conversationId: ConversationId): Promise<Conversation> {
    if (session.role !== 'customer') throw KefuError.forbidden('Only the customer reopens a conversation')
    return this.withConversation(conversationId, (conversation) => {
      assertCanView(session, conversation)
      return this.reopenLocked(conversation)
    }).finally(() => this.runAssignment())
  }

  /** Reopens when the caller already holds the conversation's lock (a customer writing after resolution). */
  async reopenLocked(conversation: Conversation): Promise<Conversation> {
    this.assertTransition(conversation, ConversationState.Reopened)
    const now = this.ctx.clock.now()
    const reopening = await this.update(conversation, {
      state: ConversationState.Reopened,
      agentId: null,
      resolvedAt: null,
    })
    const reopened = await this.appendEvent(reopening, { event: 'reopened' })
    this.ctx.fanout.conversationChanged(reopened, { t: 'conversation.reopened', conversation: reopened })
    const queued = await this.update(reopened, {
      state: ConversationState.Queued,
      queuedAt: now,
      firstResponseAt: null,
    })
    this.enqueue(queued, now)
    return queued
  }

  /** Puts an agent's conversations back in the queue after the agent dropped for good. */
  async requeueFromAgent(agentId: UserId): Promise<void> {
    for (const conversationId of this.ctx.router.takeFromAgent(agentId)) {
      await this.withConversation(conversationId, async (conversation) => {
        if (conversation.agentId !== agentId || !isOpen(conversation.state)) return conversation
        const requeued = await this.update(conversation, { state: ConversationState.Queued, agentId: null })
        const updated = await this.appendEvent(requeued, { event: 'requeued', fromAgentId: agentId })
        this.enqueue(updated, conversation.queuedAt ?? conversation.createdAt)
        return updated
      })
    }
    await this.runAssignment()
  }

  /** The first reply of an agent: the conversation becomes active and its first response time is set. */
  async markFirstResponse(conversation: Conversation, at: number): Promise<Conversation> {
    if (conversation.firstResponseAt !== null || conversation.state !== ConversationState.Assigned)
      return conversation
    const updated = await this.update(conversation, { state: ConversationState.Active, firstResponseAt: at })
    this.ctx.fanout.conversationChanged(updated, { t: 'conversation.updated', conversation: updated })
    return updated
  }

  /** Rebuilds routing state from storage after a start or a crash. */
  async restore(): Promise<void> {
    const { repo, router } = this.ctx
    for (const staff of await repo.listStaff()) {
      this.staffNames.set(staff.id, staff.displayName)
      if (staff.role === 'agent')
        router.upsertAgent({ id: staff.id, teams: staff.teams, capacity: staff.capacity })
    }
    const open = await repo.listConversations({ states: OPEN_STATES, limit: Number.MAX_SAFE_INTEGER })
    // The store lists newest first; re-queue oldest first so equal priorities keep their arrival order.
    for (const conversation of open.reverse()) {
      if (conversation.agentId) router.attach(conversation.id, conversation.agentId)
      else
        router.enqueue({
          conversationId: conversation.id,
          teamId: conversation.teamId,
          priority: conversation.priority,
          enqueuedAt: conversation.queuedAt ?? conversation.createdAt,
        })
    }
  }

  /** Runs `work` on the current state of a conversation under its lock. */
  withConversation<T>(
    conversationId: ConversationId,
    work: (conversation: Conversation) => Promise<T>,
  ): Promise<T> {
    return this.ctx.locks.run(conversationId, async () => {
      const conversation = await this.ctx.repo.getConversation(conversationId)
      if (!conversation) throw KefuError.notFound('Conversation')
      return work(conversation)
    })
  }

  private update(
    conversation: Conversation,
    patch: Omit<ConversationPatch, 'updatedAt'>,
  ): Promise<Conversation> {
    return this.ctx.repo.updateConversation(conversation.id, { ...patch, updatedAt: this.ctx.clock.now() })
  }

  private assertTransition(conversation: Conversation, to: ConversationState): void {
    const result = transition(conversation.state, to)
    if (!result.ok) throw result.error
  }

  private formerAgent(conversation: Conversation): UserId[] {
    return conversation.agentId ? [conversation.agentId] : []
  }

  private nameOf(conversation: Conversation, userId: string): Promise<string> {
    return userId === conversation.customerId
      ? Promise.resolve(conversation.customerName)
      : this.agentName(asUserId(userId))
  }

  private async agentName(agentId: UserId): Promise<string> {
    const known = this.staffNames.get(agentId)
    if (known) return known
    const name = (await this.ctx.repo.getStaff(agentId))?.displayName ?? 'Agent'
    this.staffNames.set(agentId, name)
    return name
  }

  /**
   * Records a lifecycle change in the conversation's own history, so every device sees it in order.
   * Returns the conversation as it now is (its `lastSeq` moved).
   */
  private async appendEvent(
    conversation: Conversation,
    event: Record<string, unknown>,
  ): Promise<Conversation> {
    const at = this.ctx.clock.now()
    const { message } = await this.ctx.repo.appendMessage({
      conversationId: conversation.id,
      cid: newClientMessageId(at, this.ctx.ids.newId(), 'server'),
      authorId: SYSTEM,
      authorRole: 'system',
      kind: 'event',
      body: JSON.stringify(event),
      createdAt: at,
    })
    const current: Conversation = { ...conversation, lastSeq: message.seq, updatedAt: at }
    await this.ctx.fanout.message(current, { t: 'message.new', message }, at)
    return current
  }
}
