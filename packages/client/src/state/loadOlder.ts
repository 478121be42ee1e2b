import type { ChatSession, ConversationId } from '@kefu/shared'
import { api } from '../net/api'

/** Fetches the page of history before the oldest loaded message and adds it to the session. */
export async function loadOlder(
  session: ChatSession,
  token: string,
  conversationId: ConversationId,
): Promise<void> {
  const before = session.log(conversationId).oldestLoadedSeq
  const page = await api.history(token, conversationId, before)
  session.mergeOlder(conversationId, page.messages)
}
