import { describe, expect, it } from 'vitest'
import { MessageSchema } from '../domain/index'
import { asConversationId, asUserId } from '../ids'
import { CloseCode, PROTOCOL_VERSION, UNREADABLE_MESSAGE_BODY } from '../protocol/index'
import { ManualClock, MemoryStore, ScriptedTransport } from '../testing/doubles'
import { sampleConversation } from '../testing/fixtures'
import { ChatSession } from './ChatSession'

const conversationId = asConversationId('c1')
const conversation = sampleConversation({ agentId: asUserId('s1') })
const welcome = {
  t: 'welcome',
  v: PROTOCOL_VERSION,
  epoch: 'e1',
  userId: 'u1',
  role: 'customer',
  displayName: 'Ada',
  conversations: [conversation],
}
const serverMessage = (seq: number, cid: string, body: string) => ({
  t: 'message.new',
  message: MessageSchema.parse({
    conversationId,
    seq,
    cid,
    authorId: 's1',
    authorRole: 'agent',
    kind: 'text',
    body,
    createdAt: seq,
  }),
})

function setup(store = new MemoryStore()) {
  const transports: ScriptedTransport[] = []
  const clock = new ManualClock()
  let n = 0
  const session = new ChatSession({
    openTransport: () => {
      const transport = new ScriptedTransport()
      transports.push(transport)
      return transport
    },
    clock,
    ids: { newId: () => `id${n++}` },
    store,
    deviceId: 'dev',
  })
  return { session, transports, clock, store, current: () => transports.at(-1)! }
}

describe('ChatSession', () => {
  it('says hello, then catches up every known conversation from its cursor', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    expect(current().sentOfType('hello')).toEqual([{ t: 'hello', v: PROTOCOL_VERSION, deviceId: 'dev' }])
    current().deliver(welcome)
    expect(session.status).toBe('online')
    expect(current().sentOfType('sync.request')).toEqual([
      { t: 'sync.request', conversationId: 'c1', afterSeq: 0, limit: 200, epoch: 'e1' },
    ])
  })

  it('loads only the latest page of a long conversation, and older pages on demand', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    current().deliver({ ...welcome, conversations: [{ ...conversation, lastSeq: 120 }] })
    expect(current().sentOfType('sync.request')).toMatchObject([{ afterSeq: 70 }])
    expect(session.log(conversationId).hasOlder).toBe(true)
    session.mergeOlder(conversationId, [
      serverMessage(69, 'o69', 'older').message,
      serverMessage(70, 'o70', 'older').message,
    ])
    expect(session.log(conversationId).oldestLoadedSeq).toBe(69)
  })

  it('keeps messages typed offline and sends each once when back, with the same cid', async () => {
    const { session, current, clock, store } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    current().drop()
    expect(session.status).toBe('offline')
    const first = session.send(conversationId, 'typed in the lift')
    const second = session.send(conversationId, 'still in the lift')
    expect(
      session
        .log(conversationId)
        .messages()
        .map((m) => m.body),
    ).toEqual(['typed in the lift', 'still in the lift'])
    expect(JSON.parse(store.data.get('kefu.outbox')!)).toHaveLength(2)

    clock.advance(500)
    current().open()
    current().deliver(welcome)
    expect(
      current()
        .sentOfType('message.send')
        .map((frame) => frame.cid),
    ).toEqual([first, second])
    current().deliver({ t: 'ack', conversationId, cid: first, seq: 1, createdAt: 5 })
    current().deliver(serverMessage(2, second, 'still in the lift'))
    expect(
      session
        .log(conversationId)
        .messages()
        .map((m) => m.seq),
    ).toEqual([1, 2])
    expect(store.data.has('kefu.outbox')).toBe(false)
  })

  it('sends a photo with its attachment, offline or not', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    current().drop()
    const attachment = { url: 'https://kefu.example/uploads/a.png', mime: 'image/png', bytes: 68 }
    session.send(conversationId, '', { kind: 'image', attachment })
    session.reconnectNow()
    current().open()
    current().deliver(welcome)
    expect(current().sentOfType('message.send')).toMatchObject([{ kind: 'image', body: '', attachment }])
  })

  it('restores the outbox after the app restarts', async () => {
    const store = new MemoryStore()
    const before = setup(store)
    await before.session.start()
    before.current().open()
    before.current().deliver(welcome)
    before.current().drop()
    const cid = before.session.send(conversationId, 'sent before the app closed')
    before.session.stop()

    const after = setup(store)
    await after.session.start()
    after.current().open()
    after.current().deliver(welcome)
    expect(after.current().sentOfType('message.send')).toMatchObject([
      { cid, body: 'sent before the app closed' },
    ])
  })

  it('asks for the missing range when a live message skips ahead', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    current().deliver(serverMessage(1, 'a', 'one'))
    current().deliver(serverMessage(3, 'c', 'three'))
    expect(current().sentOfType('sync.request').at(-1)).toMatchObject({ afterSeq: 1 })
    current().deliver({
      t: 'sync.batch',
      conversationId,
      epoch: 'e1',
      messages: [serverMessage(2, 'b', 'two').message],
      hasMore: false,
    })
    expect(
      session
        .log(conversationId)
        .messages()
        .map((m) => m.body),
    ).toEqual(['one', 'two', 'three'])
  })

  it('catches every conversation up from its cursor, a moment after the server hints it may have missed something', async () => {
    const { session, current, clock } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    current().deliver(serverMessage(1, 'a', 'one'))
    const before = current().sentOfType('sync.request').length
    current().deliver({ t: 'sync.hint' })
    // Spread over a few seconds: every device of the service gets the hint at once.
    expect(current().sentOfType('sync.request')).toHaveLength(before)
    clock.advance(5_000)
    expect(current().sentOfType('sync.request').slice(before)).toEqual([
      { t: 'sync.request', conversationId: 'c1', afterSeq: 1, limit: 200, epoch: 'e1' },
    ])
  })

  it('starts a conversation over when the server’s store changed', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    current().deliver(serverMessage(1, 'a', 'from the old store'))
    current().deliver({ t: 'sync.reset', conversationId, epoch: 'e2', reason: 'epoch_changed', lastSeq: 0 })
    expect(session.log(conversationId).messages()).toEqual([])
    expect(current().sentOfType('sync.request').at(-1)).toMatchObject({ afterSeq: 0 })
  })

  it('reconnects at once when told the network is back, instead of waiting out the backoff', async () => {
    const { session, transports, current } = setup()
    await session.start()
    current().drop()
    expect(transports).toHaveLength(1)
    session.reconnectNow()
    expect(transports).toHaveLength(2)
    session.reconnectNow()
    expect(transports).toHaveLength(2)
  })

  it('pings while quiet, and drops a socket that has gone silent to reconnect', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    clock.advance(25_000)
    expect(current().sentOfType('ping')).toHaveLength(1)
    current().deliver({ t: 'pong' })
    clock.advance(25_000)
    expect(current().sentOfType('ping')).toHaveLength(2)
    // No answer any more: the network vanished without a close event.
    clock.advance(25_000)
    expect(session.status).toBe('offline')
    expect(current().isClosed).toBe(true)
    clock.advance(500)
    expect(transports).toHaveLength(2)
  })

  it('backs off between reconnects and ignores frames it cannot read', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    current().drop()
    clock.advance(499)
    expect(transports).toHaveLength(1)
    clock.advance(1)
    expect(transports).toHaveLength(2)
    current().drop()
    clock.advance(999)
    expect(transports).toHaveLength(2)
    clock.advance(1)
    expect(transports).toHaveLength(3)
    current().open()
    current().deliver({ t: 'message.new', message: { nonsense: true } })
    current().deliver(welcome)
    expect(session.status).toBe('online')
  })

  it('takes a refused message out of the outbox, shows why, and sends it again only on retry', async () => {
    const { session, current, clock, store } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    const cid = session.send(conversationId, 'one too many')
    current().deliver({ t: 'error', code: 'reply_window_closed', message: 'No more replies', ref: cid })
    const [shown] = session.log(conversationId).messages()
    expect(shown).toMatchObject({ cid, seq: null, failure: { code: 'reply_window_closed' } })
    expect(JSON.parse(store.data.get('kefu.outbox')!)).toMatchObject([{ cid, failure: {} }])

    // A reconnect does not resend it: the server would refuse it again, forever.
    current().drop()
    clock.advance(500)
    current().open()
    current().deliver(welcome)
    expect(current().sentOfType('message.send')).toEqual([])

    expect(session.retry(conversationId, cid)).toBe(true)
    expect(current().sentOfType('message.send')).toMatchObject([{ cid, body: 'one too many' }])
    expect(session.log(conversationId).messages()[0]).not.toHaveProperty('failure')
    current().deliver({ t: 'ack', conversationId, cid, seq: 1, createdAt: 9 })
    expect(session.log(conversationId).messages()).toMatchObject([{ cid, seq: 1 }])
  })

  it('keeps a message the server could not store for a moment and sends it again under its cid', async () => {
    const { session, current, clock, store } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    const cid = session.send(conversationId, 'during the outage')
    for (const wait of [500, 1_000]) {
      current().deliver({ t: 'error', code: 'unavailable', message: 'Send again', ref: cid })
      expect(session.log(conversationId).messages()[0]).not.toHaveProperty('failure')
      expect(JSON.parse(store.data.get('kefu.outbox')!)).toMatchObject([{ cid }])
      const sentBefore = current().sentOfType('message.send').length
      clock.advance(wait - 1)
      expect(current().sentOfType('message.send')).toHaveLength(sentBefore)
      clock.advance(1)
      expect(current().sentOfType('message.send').at(-1)).toMatchObject({ cid, body: 'during the outage' })
    }
    current().deliver({ t: 'ack', conversationId, cid, seq: 1, createdAt: 9 })
    expect(session.log(conversationId).messages()).toMatchObject([{ cid, seq: 1 }])
  })

  it('discards a refused message for good, on this device and in its stored outbox', async () => {
    const { session, current, store } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    const cid = session.send(conversationId, 'never mind')
    current().deliver({ t: 'error', code: 'forbidden', message: 'Not yours', ref: cid })
    expect(session.discard(conversationId, cid)).toBe(true)
    expect(session.log(conversationId).messages()).toEqual([])
    await Promise.resolve()
    expect(store.data.has('kefu.outbox')).toBe(false)
  })

  it('stops reconnecting when the server closes for a protocol mismatch, and says the app needs updating', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    current().open()
    current().drop(CloseCode.ProtocolMismatch)
    expect(session.status).toBe('outdated')
    clock.advance(60_000)
    session.reconnectNow()
    expect(transports).toHaveLength(1)
  })

  it('keeps a batch with one unreadable message: the rest shows, a placeholder holds its seq, the cursor moves on', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    const unreadable = { ...serverMessage(2, 'm2', 'from a newer server').message, kind: 'sticker' }
    current().deliver({
      t: 'sync.batch',
      conversationId,
      epoch: 'e1',
      messages: [
        serverMessage(1, 'm1', 'first').message,
        unreadable,
        serverMessage(3, 'm3', 'third').message,
      ],
      hasMore: false,
    })
    const shown = session.log(conversationId).messages()
    expect(shown.map((message) => message.seq)).toEqual([1, 2, 3])
    expect(shown[1]).toMatchObject({ kind: 'event', body: UNREADABLE_MESSAGE_BODY, cid: 'm2' })
    expect(session.log(conversationId).cursor).toBe(3)
  })

  it('keeps a welcome with one unreadable conversation, showing the others', async () => {
    const { session, current } = setup()
    await session.start()
    current().open()
    const broken = { ...conversation, id: 'c2', state: 'teleported' }
    current().deliver({ ...welcome, conversations: [broken, conversation] })
    expect(session.status).toBe('online')
    expect([...session.conversations.keys()]).toEqual([conversationId])
  })

  it('stops and says it is signed out when the server ends the session, keeping the outbox for the next one', async () => {
    const { session, transports, clock, current, store } = setup()
    await session.start()
    current().open()
    current().deliver(welcome)
    session.send(conversationId, 'still waiting to go')
    current().drop(CloseCode.SessionEnded)
    expect(session.status).toBe('signed_out')
    clock.advance(60_000)
    session.reconnectNow()
    expect(transports).toHaveLength(1)
    await Promise.resolve()
    expect(store.data.get('kefu.outbox')).toContain('still waiting to go')
  })

  it('reconnects at once, without backoff, when the server says the session’s rights changed', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    for (let drops = 0; drops < 4; drops++) {
      current().drop()
      clock.advance(10_000)
    }
    const before = transports.length
    current().open()
    current().drop(CloseCode.SessionChanged)
    clock.advance(0)
    expect(transports).toHaveLength(before + 1)
  })

  it('stops reconnecting on the mismatch error even where the platform loses the close code', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    current().open()
    current().deliver({ t: 'error', code: 'protocol_mismatch', message: 'This server speaks protocol 9' })
    current().drop()
    expect(session.status).toBe('outdated')
    clock.advance(60_000)
    expect(transports).toHaveLength(1)
  })

  it('stops at a welcome of another protocol version, sending nothing more', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    current().open()
    current().deliver({ ...welcome, v: PROTOCOL_VERSION + 1 })
    expect(session.status).toBe('outdated')
    expect(current().sentOfType('sync.request')).toEqual([])
    expect(current().isClosed).toBe(true)
    clock.advance(60_000)
    expect(transports).toHaveLength(1)
  })

  it('reconnects after any other close code', async () => {
    const { session, transports, clock, current } = setup()
    await session.start()
    current().open()
    current().drop(CloseCode.SlowConsumer)
    expect(session.status).toBe('offline')
    clock.advance(500)
    expect(transports).toHaveLength(2)
  })
})
