import type { ConversationId, Message } from '@kefu/shared'
import type { ConversationRepository } from './Repository'

const HISTORY_PAGE = 500

/** A conversation's whole stored history, in `seq` order, read a page at a time. */
export async function wholeHistory(
  repo: Pick<ConversationRepository, 'listMessagesAfter'>,
  conversationId: ConversationId,
): Promise<Message[]> {
  const history: Message[] = []
  for (let after = 0; ; ) {
    const page = await repo.listMessagesAfter(conversationId, after, HISTORY_PAGE)
    history.push(...page)
    const last = page.at(-1)
    if (!last || page.length < HISTORY_PAGE) return history
    after = last.seq
  }
}
