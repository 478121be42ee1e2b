import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start()
})
afterEach(async () => server.stop())

/** The demo supervisor (teams premium, retention and general), seeded by the dev run. */
async function connectSupervisor() {
  const { body } = await server.post<{ token: string }>('/api/agent/login', {
    login: 'sam',
    password: 'kefu-demo',
  })
  const client = await server.connect(body.token, 'supervisor-desk')
  return { client, welcome: client.welcome }
}

describe('a supervisor', () => {
  it('sees the open conversations of their teams and every message in them live', async () => {
    const agent = await server.connect(await server.agentToken('worker', ['general'], 2))
    const elsewhere = await server.connect(await server.agentToken('premium-only', ['premium'], 2))
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    await customer.waitFor('conversation.assigned')
    await customer.say(conversation.id, 'before the supervisor came')

    const { client: supervisor, welcome } = await connectSupervisor()
    expect(welcome.conversations.find((c) => c.id === conversation.id)).toMatchObject({
      state: 'assigned',
      agentId: 's_worker',
    })
    supervisor.send({ t: 'sync.request', conversationId: conversation.id, afterSeq: 0 })
    const history = await supervisor.waitFor('sync.batch')
    expect(history.messages.map((m) => m.body)).toContain('before the supervisor came')

    await customer.say(conversation.id, 'while they watch')
    await agent.say(conversation.id, 'the agent answers')
    await supervisor.waitFor('message.new', (f) => f.message.body === 'while they watch')
    await supervisor.waitFor('message.new', (f) => f.message.body === 'the agent answers')

    // Staff of another team get nothing of it (both were fanned out before the supervisor had them).
    await elsewhere.roundTrip()
    expect(elsewhere.frames.some((f) => f.t === 'message.new')).toBe(false)
    await Promise.all([agent.close(), elsewhere.close(), customer.close(), supervisor.close()])
  })

  it('hears when a conversation leaves their team, and knows their teams', async () => {
    const agent = await server.connect(await server.agentToken('mover', ['general'], 2))
    const general = await server.connect(await server.agentToken('lead', ['general'], 0, 'supervisor'))
    expect(general.welcome.teams).toEqual(['general'])
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    await general.waitFor('conversation.assigned', (f) => f.conversation.id === conversation.id)

    agent.send({ t: 'conversation.transfer', conversationId: conversation.id, toTeamId: 'premium' })
    const moved = await general.waitFor(
      'conversation.transferred',
      (f) => f.conversation.id === conversation.id,
    )
    expect(moved.conversation).toMatchObject({ teamId: 'premium', state: 'queued' })
    await Promise.all([agent.close(), general.close(), customer.close()])
  })
})
