import {
  type Attachment,
  type ClientMessageId,
  type Conversation,
  type ConversationId,
  ConversationState,
  KefuError,
  type Message,
  type ServerFrame,
  type UserId,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { AppendResult } from '../store/Repository'
import { assertCanView, assertCanWrite } from './access'
import type { ChatContext } from './context'
import type { Lifecycle } from './Lifecycle'

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
  constructor(
    private readonly ctx: ChatContext,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** Stores a message once per `cid` and pushes it to every device of everyone in the conversation. */
  async send(session: Session, outgoing: OutgoingMessage, origin?: string): Promise<AppendResult> {
    const { repo, clock, metrics } = this.ctx
    let reopened = false
    const result = await this.lifecycle.withConversation(outgoing.conversationId, async (found) => {
      assertCanWrite(session, found)
      let conversation = found
      if (CLOSED_STATES.includes(conversation.state)) {
        const already = await this.findByCid(conversation, outgoing.cid)
        if (already) return already
        if (session.role !== 'customer') throw KefuError.invalidTransition(conversation.state, 'active')
        conversation = await this.lifecycle.reopenLocked(conversation)
        reopened = true
      }
      const outbound = session.role === 'customer' ? undefined : this.ctx.outbound?.[conversation.channel]
      const alreadyStored = outbound && (await this.findByCid(conversation, outgoing.cid))
      if (alreadyStored) return alreadyStored
      if (outbound) await outbound.reserve(conversation)
      const at = clock.now()
      const result = await repo.appendMessage({
        conversationId: conversation.id,
        cid: outgoing.cid,
        authorId: session.userId,
        authorRole: session.role,
        kind: outgoing.kind,
        body: outgoing.body,
        attachment: outgoing.attachment,
        createdAt: at,
      })
      if (result.isDuplicate) {
        metrics.duplicates.inc()
        return result
      }
      metrics.messages.inc({ role: session.role, kind: outgoing.kind })
      if (session.role === 'agent') conversation = await this.lifecycle.markFirstResponse(conversation, at)
      await this.ctx.fanout.message(conversation, { t: 'message.new', message: result.message }, at, origin)
      if (outbound) void outbound.deliver(conversation, result.message)
      if (conversation.voiceRoom) {
        await this.ctx.voice?.relay(conversation, result.message).catch((error: unknown) => {
          this.ctx.logger.warn(
            { err: error, conversationId: conversation.id },
            'message not relayed into the room',
          )
        })
      }
      return result
    })
    // A reopened conversation waits in the queue; see if someone can take it now.
    if (reopened) await this.lifecycle.runAssignment()
    return result
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
