import {
  type Attachment,
  type ClientMessageId,
  type Clock,
  type Conversation,
  type ConversationId,
  ConversationState,
  KefuError,
  type Logger,
  type Message,
  type ServerFrame,
  type UserId,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { DeliveryLog } from '../ports/DeliveryLog'
import type { AppendResult, NewMessage, Repository } from '../store/Repository'
import { assertCanView, assertCanWrite } from './access'
import { type Conversations, OPEN_STATES } from './Conversations'
import type { Fanout } from './Fanout'
import type { MessageWriter } from './MessageWriter'

/** A route that reaches customers outside kefu3d's sockets (WeChat's send API) and limits replies. */
export interface ReplyGate {
  /** Refuses (throws) before anything is stored when the route will not take another reply. */
  reserve(conversation: Conversation): Promise<void>
}

/** What a message does to its conversation's lifecycle: the lifecycle's part of a send. */
export interface WriteLifecycle {
  /**
   * Whether a message by `role` moves the conversation on (reopens it, or is its first response):
   * such a message is written under the conversation's lock, with the change.
   */
  movedByWrite(conversation: Conversation, role: Session['role']): boolean
  /** Reopens under the conversation's lock held by the caller, and routes it once the lock is free. */
  reopenToWrite(conversation: Conversation): Promise<Conversation>
}

/** What messaging works with; built once in server.ts. */
export interface MessagingDeps {
  repo: Repository
  conversations: Conversations
  writer: MessageWriter
  fanout: Pick<Fanout, 'participants' | 'toUsers' | 'assertReachable'>
  lifecycle: WriteLifecycle
  /** Reply limits by the conversation's delivery route (WeChat's window), where a route has them. */
  replyGates: Partial<Record<Conversation['delivery'], ReplyGate>>
  clock: Clock
  logger: Logger
  /** Counts the messages that waited and now reach their recipient. */
  deliveries?: DeliveryLog | undefined
}

/** A message as a person sends it. */
export interface OutgoingMessage {
  conversationId: ConversationId
  cid: ClientMessageId
  kind: 'text' | 'image' | 'voice'
  body: string
  attachment?: Attachment | undefined
}

/** A device's request to catch up after its cursor. */
export interface SyncRequest {
  conversationId: ConversationId
  afterSeq: number
  epoch?: string | undefined
  limit: number
}

const CLOSED_STATES: readonly string[] = [ConversationState.Resolved, ConversationState.Abandoned]

/** Messages, catch-up, typing and read receipts within conversations. */
export class Messaging {
  constructor(private readonly ctx: MessagingDeps) {}

  /**
   * Stores a message once per `cid`; the writer announces it, and fan-out, outbound channels and
   * the voice relay take it from there.
   *
   * Most messages change nothing but the history, and take no lock across nodes: the store gives
   * the seq under the conversation's own row lock and stores the message only while the
   * conversation is open. One that reopens it, is its first response or spends a route's reply
   * (or meets a conversation closed meanwhile) is written under the conversation's lock.
   */
  async send(session: Session, outgoing: OutgoingMessage, origin?: string): Promise<AppendResult> {
    this.ctx.fanout.assertReachable()
    // The store judges the conversation as it stands under its row lock: no read before.
    const written = await this.ctx.writer.writeWhile(
      this.toStore(session, outgoing),
      (found) => {
        assertCanWrite(session, found)
        return OPEN_STATES.includes(found.state) && !this.needsLock(session, found)
      },
      origin,
    )
    if (written) return written
    return this.ctx.conversations.withConversation(outgoing.conversationId, async (found) => {
      assertCanWrite(session, found)
      let conversation = found
      if (CLOSED_STATES.includes(conversation.state)) {
        const already = await this.findByCid(conversation, outgoing.cid)
        if (already) return already
        if (session.role !== 'customer') throw KefuError.invalidTransition(conversation.state, 'active')
        conversation = await this.ctx.lifecycle.reopenToWrite(conversation)
      }
      const gate = this.gateFor(session, conversation)
      // A resent reply must not use up another of the route's few replies.
      const alreadyStored = gate && (await this.findByCid(conversation, outgoing.cid))
      if (alreadyStored) return alreadyStored
      if (gate) await gate.reserve(conversation)
      return this.ctx.writer.write(conversation, this.toStore(session, outgoing), origin)
    })
  }

  private needsLock(session: Session, conversation: Conversation): boolean {
    // Staff writing into a closed conversation are refused on the locked path, once the store said so.
    return (
      this.gateFor(session, conversation) !== undefined ||
      this.ctx.lifecycle.movedByWrite(conversation, session.role)
    )
  }

  private gateFor(session: Session, conversation: Conversation): ReplyGate | undefined {
    return session.role === 'customer' ? undefined : this.ctx.replyGates[conversation.delivery]
  }

  private toStore(session: Session, outgoing: OutgoingMessage): NewMessage {
    return {
      conversationId: outgoing.conversationId,
      cid: outgoing.cid,
      authorId: session.userId,
      authorRole: session.role,
      kind: outgoing.kind,
      body: outgoing.body,
      attachment: outgoing.attachment,
      createdAt: this.ctx.clock.now(),
    }
  }

  private async findByCid(
    conversation: Conversation,
    cid: ClientMessageId,
  ): Promise<AppendResult | undefined> {
    const recent = await this.ctx.repo.listMessagesBefore(conversation.id, conversation.lastSeq + 1, 50)
    const message = recent.find((candidate) => candidate.cid === cid)
    return message && { message, isDuplicate: true }
  }

  /** Replays what a device missed, or tells it to start over when its cursor is from another store. */
  async sync(session: Session, request: SyncRequest): Promise<ServerFrame> {
    const { repo } = this.ctx
    const conversation = await this.viewable(session, request.conversationId)
    const epoch = await repo.epoch()
    if (request.epoch !== undefined && request.epoch !== epoch) {
      return {
        t: 'sync.reset',
        conversationId: conversation.id,
        epoch,
        reason: 'epoch_changed',
        lastSeq: conversation.lastSeq,
      }
    }
    if (request.afterSeq > conversation.lastSeq) {
      return {
        t: 'sync.reset',
        conversationId: conversation.id,
        epoch,
        reason: 'cursor_ahead',
        lastSeq: conversation.lastSeq,
      }
    }
    const messages = await repo.listMessagesAfter(conversation.id, request.afterSeq, request.limit + 1)
    const hasMore = messages.length > request.limit
    return {
      t: 'sync.batch',
      conversationId: conversation.id,
      epoch,
      messages: messages.slice(0, request.limit),
      hasMore,
    }
  }

  async typing(session: Session, conversationId: ConversationId, isTyping: boolean): Promise<void> {
    const conversation = await this.viewable(session, conversationId)
    assertCanWrite(session, conversation)
    this.ctx.fanout.toUsers(this.ctx.fanout.participants(conversation), {
      t: 'typing',
      conversationId,
      userId: session.userId,
      role: session.role,
      isTyping,
    })
  }

  /** Records how far a reader has read and tells every device, so unread counts agree everywhere. */
  async read(session: Session, conversationId: ConversationId, seq: number): Promise<void> {
    const conversation = await this.viewable(session, conversationId)
    const upTo = Math.min(seq, conversation.lastSeq)
    await this.ctx.repo.markRead(conversationId, session.userId, upTo)
    this.ctx.fanout.toUsers([...this.ctx.fanout.participants(conversation), session.userId], {
      t: 'read',
      conversationId,
      userId: session.userId,
      role: session.role,
      seq: upTo,
    })
  }

  /** Messages that waited while the user had no device online, oldest first. */
  async takeOffline(userId: UserId): Promise<Message[]> {
    const { repo, clock } = this.ctx
    const entries = await repo.takeOffline(userId, 1000)
    const byConversation = new Map<ConversationId, number[]>()
    for (const entry of entries)
      byConversation.set(entry.conversationId, [
        ...(byConversation.get(entry.conversationId) ?? []),
        entry.seq,
      ])
    const delivered: Message[] = []
    for (const [conversationId, seqs] of byConversation) {
      const from = Math.min(...seqs)
      const wanted = new Set(seqs)
      const messages = await repo.listMessagesAfter(conversationId, from - 1, Math.max(...seqs) - from + 1)
      delivered.push(...messages.filter((message) => wanted.has(message.seq)))
    }
    for (const message of delivered) this.ctx.deliveries?.delivered(message)
    this.ctx.logger.debug({ userId, count: delivered.length, at: clock.now() }, 'delivering offline messages')
    return delivered
  }

  private async viewable(session: Session, conversationId: ConversationId): Promise<Conversation> {
    const conversation = await this.ctx.repo.getConversation(conversationId)
    if (!conversation) throw KefuError.notFound('Conversation')
    assertCanView(session, conversation)
    return conversation
  }
}
