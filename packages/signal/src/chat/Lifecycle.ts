import {
  asConversationId,
  type Channel,
  type Clock,
  type Conversation,
  type ConversationId,
  ConversationState,
  DeliveryRoute,
  type Experiment,
  type IdSource,
  KefuError,
  priorityOf,
  type ResolutionCode,
  type RoutingConfig,
  selectTeam,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { DomainEventMap } from '../events/DomainEvents'
import { openingVariants } from '../experiments/openingVariants'
import type { Locks } from '../ports/Locks'
import type { CustomerRecord, Repository } from '../store/Repository'
import { assertCanView, assertCanWrite } from './access'
import { assertTransition, type Conversations, OPEN_STATES } from './Conversations'
import type { Fanout } from './Fanout'
import type { HistoryProjection } from './HistoryProjection'
import type { MessageWriter } from './MessageWriter'

/** The line a conversation waits in for a person (routing's `RoutingQueue`), as the lifecycle uses it. */
export interface WaitingLine {
  /** Puts the conversation in line (the caller holds its lock) and tells everyone its place. */
  enqueue(conversation: Conversation, enqueuedAt: number): Promise<void>
  release(conversationId: ConversationId): Promise<void>
  runAssignment(): Promise<void>
  /** Runs assignment without waiting for it (the caller holds a lock that assignment takes). */
  assignSoon(conversationId: ConversationId): void
}

/** What the lifecycle works with; built once in server.ts. */
export interface LifecycleDeps {
  repo: Repository
  conversations: Conversations
  writer: MessageWriter
  history: HistoryProjection
  queue: WaitingLine
  /** Frames for one person only (their new conversation), outside any lifecycle change. */
  fanout: Pick<Fanout, 'toUsers'>
  routing: RoutingConfig
  locks: Locks
  clock: Clock
  ids: IdSource
  /** Ways of working under test (greetings, routing rules), split by customer. */
  experiments?: readonly Experiment[] | undefined
  /** New conversations go to the knowledge-base assistant first, and to the queue on hand-off. */
  botFirst?: boolean | undefined
}

/** A customer's rating of a resolved conversation. */
export interface RatingRequest {
  conversationId: ConversationId
  score: number
  comment?: string | undefined
}

/**
 * The conversation's state machine: opened (and routed, or held by the assistant), answered for the
 * first time, resolved or abandoned, rated, reopened. Routing, transfers, the assistant's hold,
 * voice and hall visits are capabilities of their own, beside their features.
 */
export class Lifecycle {
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
    const conversation = await this.openOnce(session.userId, () => this.create(session, channel, delivery))
    await this.ctx.queue.runAssignment()
    return (await this.ctx.repo.getConversation(conversation.id)) ?? conversation
  }

  /**
   * The customer's open conversation, or a new one the assistant holds (queued for a person only
   * when the customer asks), for help offered before they asked.
   */
  openForOffer(customer: CustomerRecord): Promise<Conversation> {
    const person = { userId: customer.id, displayName: customer.displayName }
    return this.openOnce(customer.id, () => this.create(person, customer.platform, DeliveryRoute.Kefu, true))
  }

  // One open conversation per customer: two devices opening at once get the same one.
  private async openOnce(customerId: Session['userId'], create: () => Promise<Conversation>) {
    const conversation = await this.ctx.locks.run(`customer:${customerId}`, async () => {
      const [existing] = await this.ctx.repo.listConversations({ customerId, states: OPEN_STATES, limit: 1 })
      return existing ?? create()
    })
    this.ctx.fanout.toUsers([customerId], { t: 'conversation.opened', conversation })
    return conversation
  }

  private async create(
    session: Pick<Session, 'userId' | 'displayName'>,
    channel: Channel,
    delivery: DeliveryRoute,
    heldByBot = this.ctx.botFirst === true,
  ): Promise<Conversation> {
    const { repo, clock, routing, writer } = this.ctx
    const now = clock.now()
    const customer = await repo.getCustomer(session.userId)
    const traits = {
      vipLevel: customer?.vipLevel ?? 0,
      lastPurchaseAt: customer?.lastPurchaseAt ?? null,
      channel,
      language: customer?.language ?? undefined,
    }
    const variants = openingVariants(this.ctx.experiments ?? [], session.userId)
    const conversation = await repo.createConversation({
      id: asConversationId(`c_${this.ctx.ids.newId()}`),
      customerId: session.userId,
      customerName: customer?.displayName || session.displayName,
      channel,
      delivery,
      teamId: selectTeam(variants.rules ? { ...routing, rules: variants.rules } : routing, traits, now),
      priority: priorityOf(traits),
      createdAt: now,
    })
    let recorded = await writer.writeEvent(conversation, { event: 'created', channel, delivery })
    for (const event of variants.events) recorded = await writer.writeEvent(recorded, event)
    const { teamId } = conversation
    recorded = await writer.writeEvent(
      recorded,
      heldByBot ? { event: 'bot.engaged', teamId } : { event: 'queued', teamId },
    )
    if (variants.greeting) recorded = await writer.writeSystemMessage(recorded, variants.greeting)
    if (!heldByBot) await this.ctx.queue.enqueue(recorded, now)
    return recorded
  }

  /**
   * Closes a conversation, with staff's resolution code. A customer leaving before anyone answered
   * abandons it instead (but not one the assistant has answered: they leave served).
   */
  async resolve(
    session: Session,
    conversationId: ConversationId,
    code?: ResolutionCode,
  ): Promise<Conversation> {
    const { conversations, writer, queue } = this.ctx
    return conversations
      .withConversation(conversationId, async (conversation) => {
        assertCanWrite(session, conversation)
        const servedByBot = (await this.ctx.history.of(conversation)).botHold?.answered === true
        const abandons =
          session.role === 'customer' && conversation.state === ConversationState.Queued && !servedByBot
        const to = abandons ? ConversationState.Abandoned : ConversationState.Resolved
        assertTransition(conversation, to)
        await queue.release(conversation.id)
        const closed = await conversations.update(conversation, {
          state: to,
          resolvedAt: this.ctx.clock.now(),
        })
        const updated = await writer.writeEvent(
          closed,
          abandons
            ? { event: 'abandoned', by: session.userId }
            : {
                event: 'resolved',
                by: session.userId,
                ...(code && session.role !== 'customer' ? { code } : {}),
              },
        )
        await conversations.changed(updated, {
          t: abandons ? 'conversation.abandoned' : 'conversation.resolved',
          conversation: updated,
        })
        return updated
      })
      .finally(() => queue.runAssignment())
  }

  /**
   * The customer rates their resolved conversation. One rating per conversation: a repeat (a resent
   * frame, a second device) changes nothing and is not an error.
   */
  async rate(session: Session, rating: RatingRequest): Promise<Conversation> {
    if (session.role !== 'customer') throw KefuError.forbidden('Only the customer rates a conversation')
    const { conversations, writer } = this.ctx
    return conversations.withConversation(rating.conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      if (conversation.state !== ConversationState.Resolved)
        throw KefuError.invalidTransition(conversation.state, 'rated')
      if ((await this.ctx.history.of(conversation)).rated) return conversation
      const updated = await writer.writeEvent(conversation, {
        event: 'rated',
        score: rating.score,
        ...(rating.comment ? { comment: rating.comment } : {}),
      })
      await conversations.changed(updated, { t: 'conversation.updated', conversation: updated })
      return updated
    })
  }

  /** The customer comes back: the conversation is routed again like a new one, keeping its history. */
  async reopen(session: Session, conversationId: ConversationId): Promise<Conversation> {
    if (session.role !== 'customer') throw KefuError.forbidden('Only the customer reopens a conversation')
    return this.ctx.conversations
      .withConversation(conversationId, (conversation) => {
        assertCanView(session, conversation)
        return this.reopenLocked(conversation)
      })
      .finally(() => this.ctx.queue.runAssignment())
  }

  /** A customer's message reopens a closed conversation; an agent's first one makes it active. */
  movedByWrite(conversation: Conversation, role: Session['role']): boolean {
    if (role === 'customer') return !OPEN_STATES.includes(conversation.state)
    return role === 'agent' && awaitsFirstResponse(conversation)
  }

  /**
   * A customer writes into a closed conversation: it reopens under the lock the caller holds, and
   * is routed as soon as that lock is free (assignment takes the same lock).
   */
  async reopenToWrite(conversation: Conversation): Promise<Conversation> {
    const reopened = await this.reopenLocked(conversation)
    this.ctx.queue.assignSoon(conversation.id)
    return reopened
  }

  private async reopenLocked(conversation: Conversation): Promise<Conversation> {
    const { conversations, writer } = this.ctx
    assertTransition(conversation, ConversationState.Reopened)
    const now = this.ctx.clock.now()
    const reopening = await conversations.update(conversation, {
      state: ConversationState.Reopened,
      agentId: null,
      resolvedAt: null,
    })
    const reopened = await writer.writeEvent(reopening, { event: 'reopened' })
    await conversations.changed(reopened, { t: 'conversation.reopened', conversation: reopened })
    const queued = await conversations.update(reopened, {
      state: ConversationState.Queued,
      queuedAt: now,
      firstResponseAt: null,
    })
    await this.ctx.queue.enqueue(queued, now)
    return queued
  }

  /**
   * Subscribed to `message.stored`: an agent's first message is the conversation's first response.
   * Synchronous for every other message, so the message path pays nothing for it.
   */
  handleMessageStored({
    conversation,
    message,
  }: DomainEventMap['message.stored']): Promise<unknown> | undefined {
    if (message.authorRole !== 'agent' || !awaitsFirstResponse(conversation)) return undefined
    return this.markFirstResponse(conversation, message.createdAt)
  }

  /** The first reply of an agent (in words or by voice): the conversation becomes active. */
  async markFirstResponse(conversation: Conversation, at: number): Promise<Conversation> {
    if (!awaitsFirstResponse(conversation)) return conversation
    const { conversations } = this.ctx
    const updated = await conversations.update(conversation, {
      state: ConversationState.Active,
      firstResponseAt: at,
    })
    await conversations.changed(updated, { t: 'conversation.updated', conversation: updated })
    return updated
  }
}

function awaitsFirstResponse(conversation: Conversation): boolean {
  return conversation.firstResponseAt === null && conversation.state === ConversationState.Assigned
}
