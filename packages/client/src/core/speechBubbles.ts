import type { Cancel, ChatSession } from '@kefu/shared'
import type { HallStore } from './hallStore'

/**
 * Every text message of the session's conversations, as a speech bubble over its author's avatar:
 * others' as they arrive, one's own once the server took it (from any of one's devices).
 */
export function showSpeechBubbles(session: ChatSession, store: HallStore): Cancel {
  return session.onFrame((frame) => {
    if (frame.t === 'message.new' && frame.message.kind === 'text')
      store.say(frame.message.authorId, frame.message.body, Date.now())
    if (frame.t === 'ack') {
      const mine = session
        .log(frame.conversationId)
        .messages()
        .find((message) => message.cid === frame.cid)
      if (mine?.kind === 'text') store.say(mine.authorId, mine.body, Date.now())
    }
  })
}
