import {
  type ChatSession,
  type Conversation,
  type ConversationId,
  type LocalMessage,
  parseConversationEvent,
} from '@kefu/shared'

/** What a chat pane shows for one conversation, derived from the session: the web and mini-programs alike. */
export function conversationView(session: ChatSession, conversationId: ConversationId) {
  const me = session.identity?.userId
  const marks = session.readMarks.get(conversationId) ?? new Map()
  let readUpTo = 0
  for (const [userId, seq] of marks) if (userId !== me) readUpTo = Math.max(readUpTo, seq)
  const typingCount = session.typing.get(conversationId)?.size ?? 0
  const myMark = (me && marks.get(me)) || 0
  const messages = session.log(conversationId).messages()
  return {
    conversation: session.conversations.get(conversationId),
    messages,
    /** Messages from others that this person has not read yet. */
    unreadCount: messages.filter(
      (m) => m.seq !== null && m.seq > myMark && m.authorId !== me && m.kind !== 'event',
    ).length,
    /** The highest seq someone else has read: "read" shows on one's own messages up to it. */
    readUpTo,
    isSomeoneTyping: typingCount > 0,
    waiting: session.waiting.get(conversationId),
    hasOlder: session.log(conversationId).hasOlder,
    agentName: session.waiting.get(conversationId)?.agentName ?? lastAssignedAgent(messages),
  }
}

/** A customer's conversation on screen: their newest one (an earlier one reopens by writing in it). */
export function currentConversation(session: ChatSession): Conversation | undefined {
  let newest: Conversation | undefined
  for (const conversation of session.conversations.values())
    if (!newest || conversation.createdAt > newest.createdAt) newest = conversation
  return newest
}

// After a reload no live frame has named the agent yet; the history's last assignment has.
function lastAssignedAgent(messages: readonly LocalMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (message?.kind !== 'event') continue
    const event = parseConversationEvent(message.body)
    if (event?.event === 'assigned' || (event?.event === 'transferred' && event.agentName))
      return event.agentName
  }
  return undefined
}
