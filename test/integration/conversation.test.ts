import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start()
})
afterEach(async () => server.stop())

describe('a text conversation through the real server', () => {
  it('carries messages both ways with acks and per-conversation seq', async () => {
    const agent = await server.connect(await server.agentToken('conv-agent', ['general'], 2))
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    expect(conversation.teamId).toBe('general')
    const assigned = await customer.waitFor('conversation.assigned')
    expect(assigned.conversation.agentId).toBe('s_conv-agent')
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)

    const first = await customer.say(conversation.id, 'Where is my order?')
    await agent.waitFor('message.new', (frame) => frame.message.body === 'Where is my order?')
    const reply = await agent.say(conversation.id, 'It ships today.')
    expect(reply.seq).toBeGreaterThan(first.seq)
    const received = await customer.waitFor(
      'message.new',
      (frame) => frame.message.body === 'It ships today.',
    )
    expect(received.message).toMatchObject({ authorRole: 'agent', seq: reply.seq, cid: reply.cid })

    const updated = await customer.waitFor('conversation.updated')
    expect(updated.conversation.state).toBe('active')
    expect(updated.conversation.firstResponseAt).not.toBeNull()

    const { body } = await server.get<{ messages: { body: string; kind: string }[] }>(
      `/api/conversations/${conversation.id}/messages`,
      await server.agentToken('conv-agent', ['general'], 2),
    )
    expect(body.messages.filter((m) => m.kind === 'text').map((m) => m.body)).toEqual([
      'Where is my order?',
      'It ships today.',
    ])
    await Promise.all([agent.close(), customer.close()])
  })

  it('stores a resent cid once and acks it with the same seq', async () => {
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    const first = await customer.say(conversation.id, 'hello once', 'fixed-cid')
    customer.frames.length = 0
    const again = await customer.say(conversation.id, 'hello twice', 'fixed-cid')
    expect(again.seq).toBe(first.seq)
    const stored = await server.server.repo.listMessagesAfter(conversation.id as never, 0, 100)
    expect(stored.filter((message) => message.cid === 'fixed-cid').map((m) => m.body)).toEqual(['hello once'])
    await customer.close()
  })

  it('gives every device of the customer every message, typing and read receipt', async () => {
    const token = await server.customerToken({ userId: 'multi-device' })
    const phone = await server.connect(token, 'phone')
    const conversation = await phone.openConversation()
    const laptop = await server.connect(token, 'laptop')
    const agent = await server.connect(await server.agentToken('multi-agent', ['general'], 3))
    await phone.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)

    const sent = await phone.say(conversation.id, 'sent from my phone')
    const echo = await laptop.waitFor('message.new', (frame) => frame.message.cid === sent.cid)
    expect(echo.message.body).toBe('sent from my phone')
    await agent.say(conversation.id, 'hi both')
    await laptop.waitFor('message.new', (frame) => frame.message.body === 'hi both')
    await phone.waitFor('message.new', (frame) => frame.message.body === 'hi both')

    agent.send({ t: 'typing', conversationId: conversation.id, isTyping: true })
    await phone.waitFor('typing', (frame) => frame.isTyping && frame.role === 'agent')
    await laptop.waitFor('typing', (frame) => frame.isTyping && frame.role === 'agent')

    phone.send({ t: 'read', conversationId: conversation.id, seq: sent.seq + 1 })
    await laptop.waitFor('read', (frame) => frame.userId === 'u_multi-device' && frame.seq === sent.seq + 1)
    await agent.waitFor('read', (frame) => frame.userId === 'u_multi-device')
    await Promise.all([phone.close(), laptop.close(), agent.close()])
  })

  it('transfers to another team, then resolves and reopens', async () => {
    const general = await server.connect(await server.agentToken('tr-general', ['general'], 1))
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    await general.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)

    general.send({ t: 'conversation.transfer', conversationId: conversation.id, toTeamId: 'retention' })
    const transferred = await customer.waitFor('conversation.transferred')
    expect(transferred.conversation).toMatchObject({ state: 'queued', teamId: 'retention', agentId: null })
    await general.waitFor('conversation.transferred')
    const retention = await server.connect(await server.agentToken('tr-retention', ['retention'], 1))
    await customer.waitFor(
      'conversation.assigned',
      (frame) => frame.conversation.agentId === 's_tr-retention',
    )

    // The former agent no longer belongs to this conversation.
    general.send({ t: 'message.send', conversationId: conversation.id, cid: 'late', body: 'still here?' })
    expect(await general.waitFor('error', (frame) => frame.ref === 'late')).toMatchObject({
      code: 'forbidden',
    })

    retention.send({ t: 'conversation.resolve', conversationId: conversation.id })
    expect((await customer.waitFor('conversation.resolved')).conversation.state).toBe('resolved')
    customer.frames.length = 0
    customer.send({ t: 'conversation.reopen', conversationId: conversation.id })
    expect((await customer.waitFor('conversation.reopened')).conversation.state).toBe('reopened')
    const reassigned = await customer.waitFor('conversation.assigned')
    expect(reassigned.conversation).toMatchObject({ id: conversation.id, agentId: 's_tr-retention' })

    retention.send({ t: 'conversation.resolve', conversationId: conversation.id })
    retention.send({ t: 'conversation.resolve', conversationId: conversation.id })
    expect(await retention.waitFor('error', (frame) => frame.code === 'invalid_transition')).toBeTruthy()
    await Promise.all([general.close(), customer.close(), retention.close()])
  })
})
