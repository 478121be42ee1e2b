import type { ConversationId } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { onCluster, sharedClusterEnv, TestServer } from '../helpers/testServer'

// Three nodes of one cluster, each its own server with its own data folder, on one PostgreSQL and
// one Redis (the `cluster` project's); on SQLite there is no cluster to make. A person's devices
// and their agent sit on different nodes and must still see one conversation.
let nodes: TestServer[] = []
beforeAll(async () => {
  if (!onCluster) return
  const env = sharedClusterEnv()
  // One after another: the first creates the schema the others find.
  for (const nodeId of ['a', 'b', 'c']) nodes.push(await TestServer.start({ ...env, NODE_ID: nodeId }))
})
afterAll(async () => {
  for (const node of nodes.reverse()) await node.stop()
  nodes = []
})

const node = (index: number) => nodes[index] as TestServer

describe.runIf(onCluster)('a cluster of three nodes', () => {
  it('gives a customer on one node, their other device on another and the agent on a third one conversation', async () => {
    const agent = await node(1).connect(await node(1).agentToken('cl-agent', ['general'], 3))
    const token = await node(0).customerToken({ userId: 'cl-customer' })
    const phone = await node(0).connect(token, 'phone')
    const conversation = await phone.openConversation()
    const laptop = await node(2).connect(token, 'laptop')
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)
    await phone.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)

    const said = Array.from({ length: 20 }, (_, n) => `message ${n}`)
    for (const body of said) await phone.say(conversation.id, body)
    await agent.waitFor('message.new', (frame) => frame.message.body === said.at(-1))
    await laptop.waitFor('message.new', (frame) => frame.message.body === said.at(-1))
    // Every message once, in order, on every device.
    expect(agent.bodies(conversation.id)).toEqual(said)
    expect(laptop.bodies(conversation.id)).toEqual(said)

    await agent.say(conversation.id, 'one answer for both of your devices')
    for (const device of [phone, laptop])
      await device.waitFor(
        'message.new',
        (frame) => frame.message.body === 'one answer for both of your devices',
      )

    agent.send({ t: 'typing', conversationId: conversation.id, isTyping: true })
    await phone.waitFor('typing', (frame) => frame.isTyping && frame.role === 'agent')
    await laptop.waitFor('typing', (frame) => frame.isTyping && frame.role === 'agent')
    const lastSeq = (await phone.say(conversation.id, 'read it')).seq
    phone.send({ t: 'read', conversationId: conversation.id, seq: lastSeq })
    await agent.waitFor('read', (frame) => frame.userId === 'u_cl-customer' && frame.seq === lastSeq)
    await laptop.waitFor('read', (frame) => frame.userId === 'u_cl-customer' && frame.seq === lastSeq)

    // A supervisor on the third node sees the conversation and its messages live.
    const { body } = await node(2).post<{ token: string }>('/api/agent/login', {
      login: 'sam',
      password: 'kefu-demo',
    })
    const supervisor = await node(2).connect(body.token, 'supervisor-desk')
    expect(supervisor.welcome.conversations.some((c) => c.id === conversation.id)).toBe(true)
    // The third node wrote none of it, and its live figures count the first response given at the second.
    const liveFirstResponses = async () =>
      (await node(2).get<{ overall: { frt: { count: number } } }>('/api/quality?source=live', body.token))
        .body.overall.frt.count
    await expect.poll(liveFirstResponses).toBe(1)
    await phone.say(conversation.id, 'seen by the supervisor')
    await supervisor.waitFor('message.new', (frame) => frame.message.body === 'seen by the supervisor')
    // Resolved, so its customer does not wait for a seat in the next test.
    agent.send({ t: 'conversation.resolve', conversationId: conversation.id, code: 'answered' })
    await phone.waitFor('conversation.resolved')
    await Promise.all([agent, phone, laptop, supervisor].map((client) => client.close()))
  })

  it('routes customers arriving at every node at once without giving one twice or an agent too many', async () => {
    const capacity = 2
    const agents: TestClient[] = []
    for (const [index, login] of ['race-a', 'race-b', 'race-c'].entries())
      agents.push(await node(index).connect(await node(index).agentToken(login, ['general'], capacity)))
    const customers = await Promise.all(
      Array.from({ length: 12 }, async (_, n) => {
        const at = node(n % 3)
        return at.connect(await at.customerToken({ userId: `race-customer-${n}` }), `race-${n}`)
      }),
    )
    const opened = await Promise.all(customers.map((customer) => customer.openConversation()))
    const ids = new Set<ConversationId>(opened.map((conversation) => conversation.id))
    // Six seats: six customers are assigned and six wait in line, whichever node they came through.
    const assignedTo = async () => {
      const stored = await Promise.all([...ids].map((id) => node(0).server.repo.getConversation(id)))
      return stored
        .filter((conversation) => conversation?.agentId)
        .map((conversation) => conversation?.agentId)
    }
    await expect.poll(async () => (await assignedTo()).length, { timeout: 15_000 }).toBe(6)
    const perAgent = new Map<string, number>()
    for (const agentId of await assignedTo())
      perAgent.set(String(agentId), (perAgent.get(String(agentId)) ?? 0) + 1)
    expect([...perAgent.values()]).toEqual([capacity, capacity, capacity])
    // No conversation was ever announced as given to two agents.
    for (const agent of agents) await agent.roundTrip()
    const announcedTo = new Map<string, Set<string>>()
    for (const frame of agents.flatMap((agent) => agent.frames))
      if (frame.t === 'conversation.assigned' && ids.has(frame.conversation.id))
        announcedTo.set(
          frame.conversation.id,
          (announcedTo.get(frame.conversation.id) ?? new Set()).add(String(frame.conversation.agentId)),
        )
    expect(announcedTo.size).toBe(6)
    for (const receivers of announcedTo.values()) expect(receivers.size).toBe(1)
    // The six who wait hold places 1 to 6 in one line.
    const waiting = (await node(2).server.repo.listConversations({ states: ['queued'], limit: 100 })).filter(
      (conversation) => ids.has(conversation.id),
    )
    expect(waiting).toHaveLength(6)
    await Promise.all([...agents, ...customers].map((client) => client.close()))
  })
})
