import { asConversationId } from '@kefu/shared'
import { sampleConversation, welcomedSession } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import { createSessionStore } from './sessionStore'

const a = asConversationId('ca')
const b = asConversationId('cb')

async function welcomedStore() {
  const { session, transport } = await welcomedSession({
    conversations: [sampleConversation({ id: a }), sampleConversation({ id: b })],
  })
  return { session, store: createSessionStore(session), transport }
}

describe('the session store', () => {
  it('tells only the typing conversation, not the lists or the other conversation', async () => {
    const { store, transport } = await welcomedStore()
    const before = store.getState()
    transport.deliver({ t: 'typing', conversationId: a, userId: 'u1', role: 'customer', isTyping: true })
    const after = store.getState()
    expect(after.revisions[a]).toBe((before.revisions[a] ?? 0) + 1)
    expect(after.revisions[b]).toBe(before.revisions[b])
    expect(after.listRevision).toBe(before.listRevision)
  })

  it('tells the conversation and the lists when a message arrives', async () => {
    const { store, transport } = await welcomedStore()
    const before = store.getState()
    transport.deliver({
      t: 'message.new',
      message: {
        conversationId: b,
        seq: 1,
        cid: 'm1',
        authorId: 'u1',
        authorRole: 'customer',
        kind: 'text',
        body: 'hello',
        createdAt: 1,
      },
    })
    const after = store.getState()
    expect(after.revisions[b]).toBe((before.revisions[b] ?? 0) + 1)
    expect(after.revisions[a]).toBe(before.revisions[a])
    expect(after.listRevision).toBe(before.listRevision + 1)
  })

  it('follows the connection status', async () => {
    const { store, transport } = await welcomedStore()
    expect(store.getState().status).toBe('online')
    transport.drop()
    expect(store.getState().status).toBe('offline')
  })
})
