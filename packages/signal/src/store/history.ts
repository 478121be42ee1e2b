import {
  type ConversationEvent,
  type ConversationId,
  type Message,
  MessageKind,
  parseConversationEvent,
} from '@kefu/shared'
import type { Repository } from './Repository'

const HISTORY_PAGE = 500

/** A conversation's whole stored history, in `seq` order, read a page at a time. */
export async function wholeHistory(repo: Repository, conversationId: ConversationId): Promise<Message[]> {
  const history: Message[] = []
  for (let after = 0; ; ) {
    const page = await repo.listMessagesAfter(conversationId, after, HISTORY_PAGE)
    history.push(...page)
    const last = page.at(-1)
    if (!last || page.length < HISTORY_PAGE) return history
    after = last.seq
  }
}

/** The first event of a conversation's history that `matches`, if there is one. */
export async function firstEvent<E extends ConversationEvent>(
  repo: Repository,
  conversationId: ConversationId,
  matches: (event: ConversationEvent) => event is E,
): Promise<E | undefined> {
  for (const message of await wholeHistory(repo, conversationId)) {
    if (message.kind !== MessageKind.Event) continue
    const event = parseConversationEvent(message.body)
    if (event && matches(event)) return event
  }
  return undefined
}
