import {
  asUserId,
  type ClientMessageId,
  type Clock,
  type Conversation,
  type ConversationEvent,
  classifyEmotion,
  type IdSource,
  MessageKind,
  newClientMessageId,
} from '@kefu/shared'
import type { DomainEvents } from '../events/DomainEvents'
import type { Metrics } from '../metrics/prometheus'
import type { Admits, AppendResult, NewMessage, Repository } from '../store/Repository'
import type { HistoryProjection } from './HistoryProjection'

const SYSTEM = asUserId('system')
const BOT = asUserId('bot')

/** A stored message and the conversation as it now is (its `lastSeq` moved). */
export interface Written extends AppendResult {
  conversation: Conversation
}

/**
 * The one path by which anything enters a conversation's history: people's messages and the
 * server's own events alike are stored once per `cid`, given the next `seq`, and announced as
 * `message.stored` for fan-out, outbound channels, the voice relay and metrics to act on, after
 * the history's projection has taken it in. Callers hold the conversation's lock, but for
 * `writeWhile`, whose store decides under its own.
 */
export class MessageWriter {
  constructor(
    private readonly repo: Repository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly metrics: Metrics,
    private readonly history: HistoryProjection,
  ) {}

  async write(conversation: Conversation, message: NewMessage, origin?: string): Promise<Written> {
    return this.announce(conversation, await this.repo.appendMessage(message), origin)
  }

  /**
   * `write` without the conversation's lock and without reading the conversation first: stored only
   * if `admits` the conversation as the store holds it under its own lock; `undefined` when not.
   */
  async writeWhile(message: NewMessage, admits: Admits, origin?: string): Promise<Written | undefined> {
    const result = await this.repo.appendMessageWhile(message, admits)
    // The store's conversation is the one the message went into: its agent is who hears of it.
    return result && this.announce(result.conversation, result, origin)
  }

  private async announce(
    conversation: Conversation,
    result: AppendResult,
    origin?: string,
    event?: ConversationEvent,
  ): Promise<Written> {
    if (result.isDuplicate) {
      this.metrics.duplicates.inc()
      return { ...result, conversation }
    }
    const current: Conversation = { ...conversation, lastSeq: result.message.seq }
    const stored = result.message
    this.history.apply(stored, event)
    const emotion =
      stored.authorRole === 'customer' && stored.kind === MessageKind.Text
        ? classifyEmotion(stored.body)
        : undefined
    await this.events.publish('message.stored', {
      conversation: current,
      message: stored,
      origin,
      emotion,
      event,
    })
    return { ...result, conversation: current }
  }

  /**
   * Records a lifecycle change in the history, so every device sees it in order with the messages.
   * An event that comes from upstream (a LiveKit webhook) passes a `cid` made from its upstream id,
   * so a redelivery is stored once.
   */
  writeEvent(
    conversation: Conversation,
    event: ConversationEvent,
    cid?: ClientMessageId,
  ): Promise<Conversation> {
    return this.writeAsServer(conversation, 'event', JSON.stringify(event), 'system', cid, event)
  }

  /** The service's own message to the customer (a greeting): shown as said, never a first response. */
  writeSystemMessage(conversation: Conversation, text: string): Promise<Conversation> {
    return this.writeAsServer(conversation, 'system', text)
  }

  /** The assistant's words: said as text by the `bot` role, never a person's response. */
  writeBotMessage(conversation: Conversation, text: string): Promise<Conversation> {
    return this.writeAsServer(conversation, 'text', text, 'bot')
  }

  private async writeAsServer(
    conversation: Conversation,
    kind: 'event' | 'system' | 'text',
    body: string,
    author: 'system' | 'bot' = 'system',
    cid?: ClientMessageId,
    event?: ConversationEvent,
  ): Promise<Conversation> {
    const at = this.clock.now()
    const stored = await this.repo.appendMessage({
      conversationId: conversation.id,
      cid: cid ?? this.serverCid(at),
      authorId: author === 'bot' ? BOT : SYSTEM,
      authorRole: author,
      kind,
      body,
      createdAt: at,
    })
    const written = await this.announce(conversation, stored, undefined, event)
    return { ...written.conversation, updatedAt: at }
  }

  private serverCid(at: number): ClientMessageId {
    return newClientMessageId(at, this.ids.newId(), 'server')
  }
}
