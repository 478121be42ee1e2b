import { asConversationId } from '@kefu/shared'
import { sampleConversation, welcomedSession } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import { createHallStore } from './hallStore'
import { showSpeechBubbles } from './speechBubbles'

describe('speech bubbles in the hall', () => {
  it('puts others’ text over their avatars as it arrives, and one’s own once the server took it', async () => {
    const conversation = sampleConversation()
    const { session, transport } = await welcomedSession({ conversations: [conversation] })
    const store = createHallStore()
    const stop = showSpeechBubbles(session, store)
    transport.deliver({
      t: 'message.new',
      message: {
        conversationId: conversation.id,
        seq: 1,
        cid: 'a1',
        authorId: 's_alice',
        authorRole: 'agent',
        kind: 'text',
        body: '欢迎来到柜台',
        createdAt: 1,
      },
    })
    expect(store.getState().bubbles.get('s_alice')?.text).toBe('欢迎来到柜台')

    const cid = session.send(asConversationId(conversation.id), '我到了')
    expect(store.getState().bubbles.has('u1')).toBe(false)
    transport.deliver({ t: 'ack', conversationId: conversation.id, cid, seq: 2, createdAt: 2 })
    expect(store.getState().bubbles.get('u1')?.text).toBe('我到了')
    stop()
  })
})
