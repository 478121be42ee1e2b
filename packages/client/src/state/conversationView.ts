import type { ChatSession, ConversationId } from '@kefu/shared'

/** What a chat pane shows for one conversation, derived from the session. */
export function conversationView(session: ChatSession, conversationId: ConversationId) {
  const me = session.identity?.userId
  const marks = session.readMarks.get(conversationId) ?? new Map()
  let readUpTo = 0
  for (const [userId, seq] of marks) if (userId !== me) readUpTo = Math.max(readUpTo, seq)
  const typingCount = session.typing.get(conversationId)?.size ?? 0
  return {
    conversation: session.conversations.get(conversationId),
    messages: session.log(conversationId).messages(),
    readUpTo,
    isSomeoneTyping: typingCount > 0,
    waiting: session.waiting.get(conversationId),
  }
}
