import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServerWithLivekit } from '../helpers/livekit'

let stack: Awaited<ReturnType<typeof startServerWithLivekit>>
beforeEach(async () => {
  stack = await startServerWithLivekit()
})
afterEach(async () => stack?.stop())

/** A routed general-team conversation with voice started, and a supervisor of each kind. */
async function scene() {
  const server = stack.server
  const agentToken = await server.agentToken('scope-agent', ['general'], 2)
  const agent = await server.connect(agentToken)
  const customer = await server.connect(await server.customerToken({ userId: 'scope-customer' }))
  const conversation = await customer.openConversation()
  await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)
  customer.send({ t: 'voice.start', conversationId: conversation.id })
  await agent.waitFor('conversation.updated', (frame) => frame.conversation.voiceRoom !== null)
  const ownLead = await server.agentToken('general-lead', ['general'], 0, 'supervisor')
  const otherLead = await server.agentToken('premium-lead', ['premium'], 0, 'supervisor')
  return { server, agent, customer, conversationId: conversation.id, ownLead, otherLead }
}

describe('a supervisor’s reach', () => {
  it('ends at their own teams: another team’s supervisor reads nothing and gets no hidden voice token', async () => {
    const { server, agent, customer, conversationId, ownLead, otherLead } = await scene()
    expect((await server.get(`/api/conversations/${conversationId}`, ownLead)).status).toBe(200)
    expect((await server.post(`/api/conversations/${conversationId}/voice-token`, {}, ownLead)).status).toBe(
      200,
    )

    for (const path of [
      `/api/conversations/${conversationId}`,
      `/api/conversations/${conversationId}/messages`,
    ])
      expect((await server.get<{ code: string }>(path, otherLead)).body.code).toBe('forbidden')
    const token = await server.post<{ code: string }>(
      `/api/conversations/${conversationId}/voice-token`,
      {},
      otherLead,
    )
    expect(token.status).toBe(403)
    const listed = await server.get<{ conversations: { id: string }[] }>('/api/conversations', otherLead)
    expect(listed.body.conversations.map((c) => c.id)).not.toContain(conversationId)
    expect((await server.get('/api/conversations?team=general', otherLead)).status).toBe(403)

    const watcher = await server.connect(otherLead, 'other-lead-desk')
    watcher.send({ t: 'sync.request', conversationId, afterSeq: 0 })
    expect(await watcher.waitFor('error')).toMatchObject({ code: 'forbidden' })
    await Promise.all([agent.close(), customer.close(), watcher.close()])
  })

  it('is read-only even in their own team: no messages, transfers or resolves, and nothing stored', async () => {
    const { server, agent, customer, conversationId, ownLead } = await scene()
    const lead = await server.connect(ownLead, 'lead-desk')
    lead.send({ t: 'message.send', conversationId, cid: 'lead-1', body: 'I am the supervisor' })
    expect(await lead.waitFor('error', (frame) => frame.ref === 'lead-1')).toMatchObject({
      code: 'forbidden',
    })
    lead.send({ t: 'conversation.resolve', conversationId })
    expect(await lead.waitFor('error', (frame) => frame.ref === 'conversation.resolve')).toMatchObject({
      code: 'forbidden',
    })
    lead.send({ t: 'conversation.transfer', conversationId, toTeamId: 'premium' })
    expect(await lead.waitFor('error', (frame) => frame.ref === 'conversation.transfer')).toMatchObject({
      code: 'forbidden',
    })
    const history = await server.get<{ messages: { body: string }[] }>(
      `/api/conversations/${conversationId}/messages`,
      ownLead,
    )
    expect(history.body.messages.map((m) => m.body)).not.toContain('I am the supervisor')
    const view = await server.get<{ conversation: { state: string; teamId: string } }>(
      `/api/conversations/${conversationId}`,
      ownLead,
    )
    expect(view.body.conversation).toMatchObject({ state: 'assigned', teamId: 'general' })
    await Promise.all([agent.close(), customer.close(), lead.close()])
  })
})
