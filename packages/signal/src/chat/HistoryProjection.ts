import {
  type Conversation,
  type ConversationEvent,
  type ConversationId,
  type FlowState,
  type Message,
  MessageKind,
  parseConversationEvent,
} from '@kefu/shared'
import type { Repository } from '../store/Repository'

/**
 * What the server's rules need to know of a conversation's history, folded from it message by
 * message: the assistant's hold, its open question and flow, an offer awaiting its answer, whether
 * anger was flagged, a rating given, the hall visited, the emergency banners said, and the
 * customer's last words. The history stays the truth; this is its summary at `throughSeq`.
 */
export interface HistoryFacts {
  readonly throughSeq: number
  /** The assistant holds the conversation (no person asked for yet), and whether it has answered. */
  readonly botHold: { readonly answered: boolean } | undefined
  /** The entry whose "did this help?" awaits the customer's reply. */
  readonly awaitingFeedbackOn: string | undefined
  readonly flow: FlowState | undefined
  /** Help offered unasked, and the `seq` of the customer's first message after it: their reply to it. */
  readonly offer: { readonly answeredBySeq: number | undefined } | undefined
  readonly angerFlagged: boolean
  readonly rated: boolean
  /** The customer stepped into the 3D hall since the conversation last opened. */
  readonly hallEntered: boolean
  /** Emergency activations whose banner this conversation was told. */
  readonly bannersTold: readonly string[]
  /** The customer's last text (its language is theirs), cut to what a language guess needs. */
  readonly lastCustomerText: string | undefined
}

export const EMPTY_HISTORY: HistoryFacts = {
  throughSeq: 0,
  botHold: undefined,
  awaitingFeedbackOn: undefined,
  flow: undefined,
  offer: undefined,
  angerFlagged: false,
  rated: false,
  hallEntered: false,
  bannersTold: [],
  lastCustomerText: undefined,
}

const LAST_TEXT_CHARS = 200

/** The facts after one more message; `event` is its parsed body when the caller already has it. */
export function foldHistory(facts: HistoryFacts, message: Message, event?: ConversationEvent): HistoryFacts {
  const next = { ...facts, throughSeq: message.seq }
  if (message.authorRole === 'customer') {
    if (facts.offer)
      next.offer = facts.offer.answeredBySeq === undefined ? { answeredBySeq: message.seq } : undefined
    if (message.kind === MessageKind.Text) next.lastCustomerText = message.body.slice(0, LAST_TEXT_CHARS)
    return next
  }
  if (message.kind !== MessageKind.Event) return next
  const told = event ?? parseConversationEvent(message.body)
  switch (told?.event) {
    case 'bot.engaged':
      return { ...next, botHold: { answered: false } }
    case 'bot.answered':
      return {
        ...next,
        botHold: facts.botHold && { answered: true },
        awaitingFeedbackOn: told.quickReplies.length ? told.entryId : undefined,
      }
    case 'bot.feedback':
      return { ...next, awaitingFeedbackOn: undefined }
    case 'flow.step':
      return {
        ...next,
        botHold: facts.botHold && { answered: true },
        flow: { flowId: told.flowId, at: told.at, slots: told.slots, attempts: told.attempts },
      }
    case 'flow.ended':
      return { ...next, flow: undefined }
    case 'queued':
      return { ...next, botHold: undefined }
    case 'resolved':
    case 'abandoned':
      return { ...next, botHold: undefined, hallEntered: false }
    case 'proactive.offered':
      return { ...next, offer: { answeredBySeq: undefined } }
    case 'emotion.flagged':
      return { ...next, angerFlagged: true }
    case 'rated':
      return { ...next, rated: true }
    case 'hall.entered':
      return { ...next, hallEntered: true }
    case 'playbook.said':
      return told.said === 'banner'
        ? { ...next, bannersTold: [...facts.bannersTold, told.activationId] }
        : next
    default:
      return next
  }
}

const HISTORY_PAGE = 500
/** Conversations whose facts stay in memory; an evicted one is folded again from its history when read. */
const REMEMBERED_CONVERSATIONS = 10_000

/**
 * The facts of each conversation, kept current by the writer as it stores messages, so no rule
 * rereads a whole history. Correct with several nodes too: facts behind the conversation's
 * `lastSeq` (another node wrote since) fold just the messages they miss before they are read.
 */
export class HistoryProjection {
  private readonly remembered = new Map<ConversationId, HistoryFacts>()

  constructor(private readonly repo: Pick<Repository, 'listMessagesAfter'>) {}

  /** The facts of `conversation` as of its `lastSeq`; pass it as read under its lock, or newer. */
  async of(conversation: Conversation): Promise<HistoryFacts> {
    const known = this.remembered.get(conversation.id) ?? EMPTY_HISTORY
    if (known.throughSeq >= conversation.lastSeq) return known
    const facts = await this.catchUp(conversation.id, known)
    const meanwhile = this.remembered.get(conversation.id)
    if (!meanwhile || meanwhile.throughSeq < facts.throughSeq) this.remember(conversation.id, facts)
    return facts
  }

  /** The facts of `conversation` if this node already holds them as of its `lastSeq`, without reading. */
  known(conversation: Conversation): HistoryFacts | undefined {
    const facts = this.remembered.get(conversation.id)
    return facts && facts.throughSeq >= conversation.lastSeq ? facts : undefined
  }

  /** The writer stored `message`: folded into facts in memory; a gap leaves them to be read again. */
  apply(message: Message, event?: ConversationEvent): void {
    const facts = this.remembered.get(message.conversationId)
    if (!facts) return
    if (message.seq === facts.throughSeq + 1)
      this.remembered.set(message.conversationId, foldHistory(facts, message, event))
    else if (message.seq > facts.throughSeq) this.remembered.delete(message.conversationId)
  }

  private async catchUp(conversationId: ConversationId, from: HistoryFacts): Promise<HistoryFacts> {
    let facts = from
    for (;;) {
      const page = await this.repo.listMessagesAfter(conversationId, facts.throughSeq, HISTORY_PAGE)
      for (const message of page) facts = foldHistory(facts, message)
      if (page.length < HISTORY_PAGE) return facts
    }
  }

  private remember(conversationId: ConversationId, facts: HistoryFacts): void {
    this.remembered.delete(conversationId)
    this.remembered.set(conversationId, facts)
    if (this.remembered.size <= REMEMBERED_CONVERSATIONS) return
    const oldest = this.remembered.keys().next().value
    if (oldest !== undefined) this.remembered.delete(oldest)
  }
}
