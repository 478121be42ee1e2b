import { ConversationLog, type Message, type PendingMessage } from '@kefu/shared'
import { ManualClock } from '@kefu/shared/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'

let server: TestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

/** Asks for everything after the log's cursor until the server says there is no more. */
async function catchUp(
  client: TestClient,
  log: ConversationLog,
  conversationId: string,
  epoch: string,
): Promise<void> {
  for (;;) {
    const before = client.frames.length
    client.send({ t: 'sync.request', conversationId, afterSeq: log.cursor, epoch, limit: 3 })
    const batch = await client.waitFor('sync.batch', (frame) => client.frames.indexOf(frame) >= before)
    log.merge(batch.messages)
    if (!batch.hasMore) return
  }
}

/** Sends as a device does: shown at once as pending, confirmed by the ack (the sender gets no echo). */
async function sayAndLog(
  client: TestClient,
  log: ConversationLog,
  conversationId: string,
  body: string,
  cid: string,
) {
  const pending = {
    conversationId,
    cid,
    authorId: 'me',
    authorRole: 'customer',
    kind: 'text',
    body,
    createdAt: 0,
    seq: null,
  }
  log.addPending(pending as unknown as PendingMessage)
  const ack = await client.say(conversationId, body, cid)
  log.applyAck(ack.cid, ack.seq, ack.createdAt)
}

const liveMessages = (client: TestClient): Message[] =>
  client.frames.flatMap((frame) => (frame.t === 'message.new' ? [frame.message] : []))

describe('disconnect and resume', () => {
  it('loses and doubles nothing across a dropped socket and resent messages', async () => {
    server = await TestServer.start()
    const token = await server.customerToken({ userId: 'resumer' })
    const agent = await server.connect(await server.agentToken('resume-agent', ['general'], 2))
    let customer = await server.connect(token)
    const { epoch } = customer.welcome
    const conversation = await customer.openConversation()
    await customer.waitFor('conversation.assigned')
    const log = new ConversationLog()
    await sayAndLog(customer, log, conversation.id, 'before the tunnel', 'c-1')

    // The phone enters a tunnel: the socket dies while a message is in flight, before its ack.
    customer.send({
      t: 'message.send',
      conversationId: conversation.id,
      cid: 'c-2',
      body: 'sent in the tunnel',
    })
    customer.socket.terminate()
    for (const body of ['one', 'two', 'three', 'four', 'five'])
      await agent.say(conversation.id, `agent ${body}`)

    customer = await server.connect(token, 'device-1')
    // The outbox resends what was never acknowledged, with the same cid.
    const resent = await customer.say(conversation.id, 'sent in the tunnel', 'c-2')
    log.applyAck(resent.cid, resent.seq, resent.createdAt)
    await catchUp(customer, log, conversation.id, epoch)
    log.merge(liveMessages(customer))
    await sayAndLog(customer, log, conversation.id, 'out of the tunnel', 'c-3')

    const shown = log
      .messages()
      .filter((message) => message.kind === 'text')
      .map((message) => message.body)
    expect(shown).toEqual([
      'before the tunnel',
      'sent in the tunnel',
      'agent one',
      'agent two',
      'agent three',
      'agent four',
      'agent five',
      'out of the tunnel',
    ])
    const stored = await server.server.repo.listMessagesAfter(conversation.id as never, 0, 100)
    expect(stored.filter((message) => message.cid === 'c-2')).toHaveLength(1)
    expect(log.cursor).toBe(stored.at(-1)?.seq)
    await Promise.all([customer.close(), agent.close()])
  })

  it('tells a device with a cursor from another store to start over', async () => {
    server = await TestServer.start()
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    customer.send({ t: 'sync.request', conversationId: conversation.id, afterSeq: 0, epoch: 'an-old-store' })
    expect(await customer.waitFor('sync.reset')).toMatchObject({
      reason: 'epoch_changed',
      lastSeq: conversation.lastSeq,
    })
    customer.send({ t: 'sync.request', conversationId: conversation.id, afterSeq: 999 })
    expect(await customer.waitFor('sync.reset', (frame) => frame.reason === 'cursor_ahead')).toBeTruthy()
    await customer.close()
  })
})

describe('offline delivery', () => {
  it('keeps messages for a customer who is away and pushes them on return', async () => {
    server = await TestServer.start()
    const token = await server.customerToken({ userId: 'away' })
    const agent = await server.connect(await server.agentToken('offline-agent', ['general'], 2))
    const customer = await server.connect(token)
    const conversation = await customer.openConversation()
    await customer.waitFor('conversation.assigned')
    await customer.close()
    await agent.say(conversation.id, 'are you still there?')
    await agent.say(conversation.id, 'your refund is done')

    const back = await server.connect(token, 'another-device')
    await back.waitFor('message.new', (frame) => frame.message.body === 'your refund is done')
    expect(back.bodies(conversation.id)).toEqual(['are you still there?', 'your refund is done'])
    // Delivered once: a later return finds nothing waiting.
    await back.close()
    const again = await server.connect(token, 'third-device')
    await again.say(conversation.id, 'thanks')
    await agent.waitFor('message.new', (frame) => frame.message.body === 'thanks')
    expect(again.bodies(conversation.id)).toEqual([])
    await Promise.all([again.close(), agent.close()])
  })

  it('drops what waited longer than the retention period, and keeps it in history', async () => {
    // Time moves only when the test says: each step runs the purge job once, at the new time.
    const clock = new ManualClock(Date.now())
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { loadConfig, startServer } = await import('@kefu/signal')
    const { testEnv } = await import('../helpers/testServer')
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-purge-'))
    const raw = await startServer(
      loadConfig(testEnv(dataDir, { PURGE_INTERVAL_MS: '50', OFFLINE_RETENTION_HOURS: '72' })),
      { clock },
    )
    const repo = raw.repo
    const conversation = await repo.createConversation({
      id: 'c_purge' as never,
      customerId: 'u_gone' as never,
      customerName: 'Gone',
      channel: 'web',
      delivery: 'kefu',
      teamId: 'general' as never,
      priority: 0,
      createdAt: clock.now(),
    })
    await repo.appendMessage({
      conversationId: conversation.id,
      cid: 'old' as never,
      authorId: 's_x' as never,
      authorRole: 'agent',
      kind: 'text',
      body: 'old news',
      createdAt: clock.now(),
    })
    await repo.enqueueOffline('u_gone' as never, {
      conversationId: conversation.id,
      seq: 1,
      enqueuedAt: clock.now(),
    })
    await clock.advanceAndSettle(71 * 3600_000)
    const kept = await repo.takeOffline('u_gone' as never, 10)
    expect(kept).toHaveLength(1)
    await repo.enqueueOffline('u_gone' as never, kept[0]!)
    await clock.advanceAndSettle(2 * 3600_000)
    expect(await repo.takeOffline('u_gone' as never, 10)).toEqual([])
    expect((await repo.listMessagesAfter(conversation.id, 0, 10)).map((message) => message.body)).toEqual([
      'old news',
    ])
    await raw.close()
  })
})
