import {
  ANGER_PRIORITY_BOOST,
  asClientMessageId,
  asConversationId,
  asUserId,
  type BotHandoffReason,
  type Channel,
  type Clock,
  type Conversation,
  type ConversationEvent,
  type ConversationEventOf,
  type ConversationId,
  ConversationState,
  DeliveryRoute,
  type EmotionReading,
  ErrorCode,
  type Experiment,
  type IdSource,
  isKefuError,
  isOpen,
  KefuError,
  type Logger,
  MessageKind,
  parseConversationEvent,
  priorityOf,
  type ResolutionCode,
  type RoutingConfig,
  selectTeam,
  type TeamId,
  transition,
  type UserId,
  variantFor,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { ConversationFrame, DomainEventMap, DomainEvents } from '../events/DomainEvents'
import type { Metrics } from '../metrics/prometheus'
import type { Locks } from '../ports/Locks'
import type { RoutingState } from '../ports/RoutingState'
import { firstEvent, wholeHistory } from '../store/history'
import type { ConversationPatch, CustomerRecord, Repository } from '../store/Repository'
import { assertCanView, assertCanWrite, assertStaff } from './access'
import type { Conversations } from './Conversations'
import type { Fanout } from './Fanout'
import type { MessageWriter } from './MessageWriter'

/** What a verified LiveKit event means for a conversation: one of its voice events. */
export type VoiceEvent = ConversationEventOf<
  'voice.joined' | 'voice.left' | 'voice.audio_published' | 'voice.room_closed'
>

/** The media engine as the lifecycle sees it: a room per conversation that asked for voice. */
export interface VoiceHooks {
  open(conversationId: ConversationId): Promise<string>
  remove(room: string, identity: UserId): Promise<void>
  close(room: string): Promise<void>
}

/** What the lifecycle works with; built once in server.ts. */
export interface LifecycleDeps {
  repo: Repository
  conversations: Conversations
  writer: MessageWriter
  events: DomainEvents
  /** Frames for one person only (their place in line), outside any lifecycle change. */
  fanout: Pick<Fanout, 'toUsers'>
  router: RoutingState
  routing: RoutingConfig
  locks: Locks
  clock: Clock
  ids: IdSource
  metrics: Metrics
  logger: Logger
  /** Absent when no LiveKit is configured: voice is then refused with `voice_unavailable`. */
  voice?: VoiceHooks | undefined
  /** Ways of working under test (greetings, routing rules), split by customer. */
  experiments?: readonly Experiment[] | undefined
  /** New conversations go to the knowledge-base assistant first, and to the queue on hand-off. */
  botFirst?: boolean | undefined
}

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

/** A customer's rating of a resolved conversation. */
export interface RatingRequest {
  conversationId: ConversationId
  score: number
  comment?: string | undefined
}

/** Moves conversations through their life: open, route, assign, transfer, resolve, reopen. */
export class Lifecycle {
  private readonly staffNames = new Map<UserId, string>()
  private readonly lastPositions = new Map<ConversationId, number>()
  // Conversations whose hall visit is recorded; a restart may record one more visit, which the
  // figures count once.
  private readonly hallVisited = new Set<ConversationId>()
  // Conversations the assistant holds (not yet queued for a person), and whether it has answered.
  private readonly withBot = new Map<ConversationId, { answered: boolean }>()

  constructor(private readonly ctx: LifecycleDeps) {}

  /**
   * Returns the customer's open conversation, or opens and routes a new one. `delivery` is how
   * replies will reach the customer: kefu3d's sockets unless an upstream (WeChat's push) says so.
   */
  async open(
    session: Session,
    channel: Channel,
    delivery: DeliveryRoute = DeliveryRoute.Kefu,
  ): Promise<Conversation> {
    if (session.role !== 'customer') throw KefuError.forbidden('Only customers open conversations')
    const conversation = await this.ctx.locks.run(`customer:${session.userId}`, async () => {
      const [existing] = await this.ctx.repo.listConversations({
        customerId: session.userId,
        states: OPEN_STATES,
        limit: 1,
      })
      if (existing) return existing
      return this.createAndQueue(session, channel, delivery)
    })
    this.ctx.fanout.toUsers([session.userId], { t: 'conversation.opened', conversation })
    await this.runAssignment()
    return (await this.ctx.repo.getConversation(conversation.id)) ?? conversation
  }

  /**
   * The customer's open conversation, or a new one the assistant holds (queued for a person only
   * when the customer asks), for help offered before they asked.
   */
  async openForOffer(customer: CustomerRecord): Promise<Conversation> {
    const customerId = customer.id
    const conversation = await this.ctx.locks.run(`customer:${customerId}`, async () => {
      const [existing] = await this.ctx.repo.listConversations({ customerId, states: OPEN_STATES, limit: 1 })
      if (existing) return existing
      const person = { userId: customerId, displayName: customer.displayName }
      return this.createAndQueue(person, customer.platform, DeliveryRoute.Kefu, true)
    })
    this.ctx.fanout.toUsers([customerId], { t: 'conversation.opened', conversation })
    return conversation
  }

  private async createAndQueue(
    session: Pick<Session, 'userId' | 'displayName'>,
    channel: Channel,
    delivery: DeliveryRoute,
    heldByBot = this.ctx.botFirst === true,
  ): Promise<Conversation> {
    const { repo, clock, routing } = this.ctx
    const now = clock.now()
    const customer = await repo.getCustomer(session.userId)
    const traits = {
      vipLevel: customer?.vipLevel ?? 0,
      lastPurchaseAt: customer?.lastPurchaseAt ?? null,
      channel,
      language: customer?.language ?? undefined,
    }
    // Each running experiment gives this customer one variant, always the same (a hash of their id).
    const variants = (this.ctx.experiments ?? [])
      .filter((experiment) => experiment.active)
      .map((experiment) => ({ experiment, variant: variantFor(experiment, session.userId) }))
    // Should two experiments both change one thing, the one listed first wins.
    const rules = variants.find(({ variant }) => variant.rules)?.variant.rules
    const conversation = await repo.createConversation({
      id: asConversationId(`c_${this.ctx.ids.newId()}`),
      customerId: session.userId,
      customerName: customer?.displayName || session.displayName,
      channel,
      delivery,
      teamId: selectTeam(rules ? { ...routing, rules } : routing, traits, now),
      priority: priorityOf(traits),
      createdAt: now,
    })
    let recorded = await this.ctx.writer.writeEvent(conversation, { event: 'created', channel, delivery })
    for (const { experiment, variant } of variants)
      recorded = await this.ctx.writer.writeEvent(recorded, {
        event: 'experiment',
        experimentId: experiment.id,
        variant: variant.id,
      })
    const greeting = variants.find(({ variant }) => variant.greeting)?.variant.greeting
    if (heldByBot) {
      recorded = await this.ctx.writer.writeEvent(recorded, {
        event: 'bot.engaged',
        teamId: conversation.teamId,
      })
      if (greeting) recorded = await this.ctx.writer.writeSystemMessage(recorded, greeting)
      this.withBot.set(recorded.id, { answered: false })
      return recorded
    }
    recorded = await this.ctx.writer.writeEvent(recorded, { event: 'queued', teamId: conversation.teamId })
    if (greeting) recorded = await this.ctx.writer.writeSystemMessage(recorded, greeting)
    await this.enqueue(recorded, now)
    return recorded
  }

  /** True while the assistant holds the conversation (no person asked for yet). */
  isWithBot(conversationId: ConversationId): boolean {
    return this.withBot.has(conversationId)
  }

  /** The assistant answered: a customer leaving now leaves served, not abandoned. */
  noteBotAnswer(conversationId: ConversationId): void {
    const held = this.withBot.get(conversationId)
    if (held) held.answered = true
  }

  /**
   * The assistant passes the conversation to a person: recorded with the reason, then queued like
   * a new one. Waiting (ASA) starts here: the customer was being served until now.
   */
  async handOff(conversationId: ConversationId, reason: BotHandoffReason): Promise<Conversation> {
    return this.withConversation(conversationId, async (conversation) => {
      if (!this.withBot.delete(conversationId)) return conversation
      const now = this.ctx.clock.now()
      const handed = await this.ctx.writer.writeEvent(conversation, { event: 'bot.handed_off', reason })
      const queued = await this.ctx.writer.writeEvent(await this.update(handed, { queuedAt: now }), {
        event: 'queued',
        teamId: conversation.teamId,
      })
      await this.enqueue(queued, now)
      return queued
    }).finally(() => this.runAssignment())
  }

  /** The customer said the assistant's answer solved it: resolved with no person involved. */
  async resolveByBot(conversationId: ConversationId): Promise<Conversation> {
    return this.withConversation(conversationId, async (conversation) => {
      if (!this.withBot.delete(conversationId)) return conversation
      this.assertTransition(conversation, ConversationState.Resolved)
      const closed = await this.update(conversation, {
        state: ConversationState.Resolved,
        resolvedAt: this.ctx.clock.now(),
      })
      const updated = await this.ctx.writer.writeEvent(closed, { event: 'resolved', by: asUserId('bot') })
      await this.changed(updated, { t: 'conversation.resolved', conversation: updated })
      return updated
    })
  }

  /**
   * A customer's message read as angry: once per conversation it moves up the queue (past every
   * calm customer), and the history says so, which the console and the supervisors' alerts read.
   */
  async flagAnger(conversationId: ConversationId, reading: EmotionReading): Promise<boolean> {
    return this.withConversation(conversationId, async (conversation) => {
      if (!isOpen(conversation.state) || (await this.wasFlagged(conversation))) return false
      const priority = conversation.priority + ANGER_PRIORITY_BOOST
      await this.reprioritize(conversation, priority, {
        event: 'emotion.flagged',
        emotion: 'anger',
        intensity: Number(reading.intensity.toFixed(2)),
        priority,
      })
      return true
    })
  }

  /**
   * Moves a conversation's priority by `delta` (and its place in the queue, while it waits), with
   * the event saying why: an emergency playbook's boost, and its undoing when switched off. Closed
   * conversations move too, so one reopened later waits at its own priority.
   */
  async shiftPriority(
    conversationId: ConversationId,
    delta: number,
    why: (priority: number) => ConversationEvent,
  ): Promise<Conversation> {
    return this.withConversation(conversationId, (conversation) => {
      const priority = conversation.priority + delta
      return this.reprioritize(conversation, priority, why(priority))
    })
  }

  private async reprioritize(
    conversation: Conversation,
    priority: number,
    event: ConversationEvent,
  ): Promise<Conversation> {
    const moved = await this.update(conversation, { priority })
    this.ctx.router.reprioritize(conversation.id, priority)
    const updated = await this.ctx.writer.writeEvent(moved, event)
    await this.changed(updated, { t: 'conversation.updated', conversation: updated })
    return updated
  }

  private async wasFlagged(conversation: Conversation): Promise<boolean> {
    const flagged = await firstEvent(
      this.ctx.repo,
      conversation.id,
      (event): event is ConversationEventOf<'emotion.flagged'> => event.event === 'emotion.flagged',
    )
    return flagged !== undefined
  }

  private async enqueue(conversation: Conversation, enqueuedAt: number): Promise<void> {
    const { id: conversationId, teamId, priority } = conversation
    this.ctx.router.enqueue({ conversationId, teamId, priority, enqueuedAt })
    const position = this.ctx.router.queuePosition(conversation.id) ?? 1
    this.lastPositions.set(conversation.id, position)
    await this.changed(conversation, { t: 'conversation.queued', conversation, position })
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
        const updated = await this.ctx.writer.writeEvent(assigned, {
          event: 'assigned',
          agentId: assignment.agentId,
          agentName,
        })
        await this.changed(updated, { t: 'conversation.assigned', conversation: updated, agentName })
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
      if (request.toAgentId) return this.transferToAgent(session, conversation, request.toAgentId, request)
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
      const updated = await this.ctx.writer.writeEvent(moved, {
        event: 'transferred',
        fromAgentId: conversation.agentId,
        toTeamId,
        ...(await this.keepNote(session, conversation, request)),
      })
      await this.changedByTransfer(conversation, updated)
      if (conversation.voiceRoom && conversation.agentId)
        await this.ctx.voice?.remove(conversation.voiceRoom, conversation.agentId)
      // A transferred customer has already waited once: keep their original place in line.
      await this.enqueue(updated, conversation.queuedAt ?? conversation.createdAt)
      return updated
    }).finally(() => this.runAssignment())
  }

  private async transferToAgent(
    session: Session,
    conversation: Conversation,
    agentId: UserId,
    request: TransferRequest,
  ): Promise<Conversation> {
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
    const updated = await this.ctx.writer.writeEvent(moved, {
      event: 'transferred',
      fromAgentId: conversation.agentId,
      toAgentId: agentId,
      agentName: agent.displayName,
      ...(await this.keepNote(session, conversation, request)),
    })
    await this.changedByTransfer(conversation, updated)
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
    await this.ctx.repo.addHandoverNote(conversation.id, {
      at: this.ctx.clock.now(),
      authorId: session.userId,
      authorName: session.displayName,
      note,
    })
    return { hasNote: true }
  }

  /**
   * Closes a conversation, with staff's resolution code. A customer leaving before anyone answered
   * abandons it instead.
   */
  async resolve(
    session: Session,
    conversationId: ConversationId,
    code?: ResolutionCode,
  ): Promise<Conversation> {
    return this.withConversation(conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      const servedByBot = this.withBot.get(conversation.id)?.answered === true
      this.withBot.delete(conversation.id)
      const abandons =
        session.role === 'customer' && conversation.state === ConversationState.Queued && !servedByBot
      const to = abandons ? ConversationState.Abandoned : ConversationState.Resolved
      this.assertTransition(conversation, to)
      this.ctx.router.release(conversation.id)
      this.lastPositions.delete(conversation.id)
      this.hallVisited.delete(conversation.id)
      const closed = await this.update(conversation, { state: to, resolvedAt: this.ctx.clock.now() })
      const updated = await this.ctx.writer.writeEvent(
        closed,
        abandons
          ? { event: 'abandoned', by: session.userId }
          : {
              event: 'resolved',
              by: session.userId,
              ...(code && session.role !== 'customer' ? { code } : {}),
            },
      )
      if (conversation.voiceRoom) await this.ctx.voice?.close(conversation.voiceRoom)
      await this.changed(updated, {
        t: abandons ? 'conversation.abandoned' : 'conversation.resolved',
        conversation: updated,
      })
      return updated
    }).finally(() => this.runAssignment())
  }

  /**
   * The customer rates their resolved conversation. One rating per conversation: a repeat (a resent
   * frame, a second device) changes nothing and is not an error.
   */
  async rate(session: Session, rating: RatingRequest): Promise<Conversation> {
    if (session.role !== 'customer') throw KefuError.forbidden('Only the customer rates a conversation')
    return this.withConversation(rating.conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      if (conversation.state !== ConversationState.Resolved)
        throw KefuError.invalidTransition(conversation.state, 'rated')
      if (await this.ratingOf(conversation)) return conversation
      const updated = await this.ctx.writer.writeEvent(conversation, {
        event: 'rated',
        score: rating.score,
        ...(rating.comment ? { comment: rating.comment } : {}),
      })
      await this.changed(updated, { t: 'conversation.updated', conversation: updated })
      return updated
    })
  }

  private ratingOf(conversation: Conversation): Promise<ConversationEventOf<'rated'> | undefined> {
    return firstEvent(
      this.ctx.repo,
      conversation.id,
      (event): event is ConversationEventOf<'rated'> => event.event === 'rated',
    )
  }

  /**
   * The customer stepped into the 3D hall: recorded once in their open conversation's history (the
   * `hall` channel of the figures). Staff in the hall and customers with no open conversation leave
   * no trace.
   */
  async recordHallVisit(session: Session): Promise<void> {
    if (session.role !== 'customer') return
    const [open] = await this.ctx.repo.listConversations({
      customerId: session.userId,
      states: OPEN_STATES,
      limit: 1,
    })
    if (!open || this.hallVisited.has(open.id)) return
    this.hallVisited.add(open.id)
    await this.withConversation(open.id, (conversation) =>
      this.ctx.writer.writeEvent(conversation, { event: 'hall.entered' }),
    )
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
      const updated = await this.ctx.writer.writeEvent(withRoom, { event: 'voice.requested' })
      await this.changed(updated, { t: 'conversation.updated', conversation: updated })
      return updated
    })
  }

  /**
   * A verified LiveKit event: into the history, once per `upstreamId` (LiveKit redelivers); an
   * agent's first audio is the first response.
   */
  async recordVoiceEvent(
    conversationId: ConversationId,
    event: VoiceEvent,
    at: number,
    upstreamId: string,
  ): Promise<void> {
    await this.withConversation(conversationId, async (conversation) => {
      // LiveKit names the participant on join and leave but not on every event: the history always does.
      const named =
        event.event === 'voice.room_closed' || event.name || !event.identity
          ? event
          : { ...event, name: await this.nameOf(conversation, event.identity) }
      const cid = asClientMessageId(`lk_${upstreamId}`.slice(0, 64))
      const recorded = await this.ctx.writer.writeEvent(conversation, named, cid)
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

  /**
   * A customer writes into a closed conversation: it reopens under the lock the caller holds, and
   * is routed as soon as that lock is free (assignment takes the same lock).
   */
  async reopenToWrite(conversation: Conversation): Promise<Conversation> {
    const reopened = await this.reopenLocked(conversation)
    this.runAssignment().catch((error: unknown) =>
      this.ctx.logger.error(
        { err: error, conversationId: conversation.id },
        'routing a reopened conversation failed',
      ),
    )
    return reopened
  }

  private async reopenLocked(conversation: Conversation): Promise<Conversation> {
    this.assertTransition(conversation, ConversationState.Reopened)
    const now = this.ctx.clock.now()
    const reopening = await this.update(conversation, {
      state: ConversationState.Reopened,
      agentId: null,
      resolvedAt: null,
    })
    const reopened = await this.ctx.writer.writeEvent(reopening, { event: 'reopened' })
    await this.changed(reopened, { t: 'conversation.reopened', conversation: reopened })
    const queued = await this.update(reopened, {
      state: ConversationState.Queued,
      queuedAt: now,
      firstResponseAt: null,
    })
    await this.enqueue(queued, now)
    return queued
  }

  /** Puts an agent's conversations back in the queue after the agent dropped for good. */
  async requeueFromAgent(agentId: UserId): Promise<void> {
    for (const conversationId of this.ctx.router.takeFromAgent(agentId)) {
      await this.withConversation(conversationId, async (conversation) => {
        if (conversation.agentId !== agentId || !isOpen(conversation.state)) return conversation
        const requeued = await this.update(conversation, { state: ConversationState.Queued, agentId: null })
        const updated = await this.ctx.writer.writeEvent(requeued, {
          event: 'requeued',
          fromAgentId: agentId,
        })
        await this.enqueue(updated, conversation.queuedAt ?? conversation.createdAt)
        return updated
      })
    }
    await this.runAssignment()
  }

  /**
   * Subscribed to `message.stored`: an agent's first message is the conversation's first response.
   * Synchronous for every other message, so the message path pays nothing for it.
   */
  handleMessageStored({
    conversation,
    message,
  }: DomainEventMap['message.stored']): Promise<unknown> | undefined {
    if (message.authorRole !== 'agent' || !this.awaitsFirstResponse(conversation)) return undefined
    return this.markFirstResponse(conversation, message.createdAt)
  }

  private awaitsFirstResponse(conversation: Conversation): boolean {
    return conversation.firstResponseAt === null && conversation.state === ConversationState.Assigned
  }

  /** The first reply of an agent: the conversation becomes active and its first response time is set. */
  private async markFirstResponse(conversation: Conversation, at: number): Promise<Conversation> {
    if (!this.awaitsFirstResponse(conversation)) return conversation
    const updated = await this.update(conversation, { state: ConversationState.Active, firstResponseAt: at })
    await this.changed(updated, { t: 'conversation.updated', conversation: updated })
    return updated
  }

  /** Rebuilds routing state from storage after a start or a crash. */
  async restore(): Promise<void> {
    const { repo, router } = this.ctx
    for (const staff of await repo.listStaff()) {
      this.staffNames.set(staff.id, staff.displayName)
      if (staff.role === 'agent' && staff.active)
        router.upsertAgent({ id: staff.id, teams: staff.teams, capacity: staff.capacity })
    }
    const open = await repo.listConversations({ states: OPEN_STATES, limit: Number.MAX_SAFE_INTEGER })
    // The store lists newest first; re-queue oldest first so equal priorities keep their arrival order.
    for (const conversation of open.reverse()) {
      if (conversation.agentId) router.attach(conversation.id, conversation.agentId)
      else if (await this.restoreBotHold(conversation)) continue
      else
        router.enqueue({
          conversationId: conversation.id,
          teamId: conversation.teamId,
          priority: conversation.priority,
          enqueuedAt: conversation.queuedAt ?? conversation.createdAt,
        })
    }
  }

  // A conversation the assistant took and has not handed off is still the assistant's after a restart.
  private async restoreBotHold(conversation: Conversation): Promise<boolean> {
    let held: { answered: boolean } | undefined
    for (const message of await wholeHistory(this.ctx.repo, conversation.id)) {
      if (message.kind !== MessageKind.Event) continue
      const event = parseConversationEvent(message.body)?.event
      if (event === 'bot.engaged') held = { answered: false }
      else if (event === 'bot.answered' && held) held.answered = true
      else if (event === 'queued') held = undefined
    }
    if (held) this.withBot.set(conversation.id, held)
    return held !== undefined
  }

  private withConversation<T>(
    conversationId: ConversationId,
    work: (conversation: Conversation) => Promise<T>,
  ): Promise<T> {
    return this.ctx.conversations.withConversation(conversationId, work)
  }

  private changed(conversation: Conversation, frame: ConversationFrame): Promise<void> {
    return this.ctx.events.publish('conversation.changed', { conversation, frame })
  }

  // The former agent and the team it left are told too, so their lists drop it.
  private changedByTransfer(before: Conversation, after: Conversation): Promise<void> {
    return this.ctx.events.publish('conversation.changed', {
      conversation: after,
      frame: { t: 'conversation.transferred', conversation: after, fromAgentId: before.agentId },
      alsoTo: before.agentId ? [before.agentId] : [],
      formerTeamId: before.teamId,
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
}
