import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer, writeRoutingFile } from '../helpers/testServer'

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start()
})
afterEach(async () => server.stop())

async function loads(agentIds: string[]): Promise<number[]> {
  const open = await server.server.repo.listConversations({ states: ['assigned', 'active'], limit: 100 })
  return agentIds.map((id) => open.filter((conversation) => conversation.agentId === id).length)
}

describe('routing through the real server', () => {
  it('sends a VIP 4 customer to premium and a recent buyer to retention', async () => {
    const vip = await server.connect(await server.customerToken({ userId: 'vip', vipLevel: 4 }))
    expect((await vip.openConversation()).teamId).toBe('premium')
    const buyer = await server.connect(
      await server.customerToken({ userId: 'buyer', lastPurchaseAt: Date.now() - 86_400_000 }),
    )
    expect((await buyer.openConversation()).teamId).toBe('retention')
    const guest = await server.connect(await server.guestToken())
    expect((await guest.openConversation()).teamId).toBe('general')
    await Promise.all([vip.close(), buyer.close(), guest.close()])
  })

  it('sends a customer whose signed profile says English to the team a rule on languages names', async () => {
    // Without the demo staff's premium and retention: they are seeded into general instead.
    const routingFile = writeRoutingFile(
      server.dataDir,
      { id: 'english', name: 'English desk', answerTargetMs: 60_000 },
      { languages: ['en'] },
    )
    const routed = await TestServer.start({ ROUTING_CONFIG_FILE: routingFile })
    try {
      const english = await routed.connect(await routed.customerToken({ userId: 'lang-en', language: 'en' }))
      expect((await english.openConversation()).teamId).toBe('english')
      const chinese = await routed.connect(await routed.customerToken({ userId: 'lang-zh', language: 'zh' }))
      expect((await chinese.openConversation()).teamId).toBe('general')
      await Promise.all([english.close(), chinese.close()])
    } finally {
      await routed.stop()
    }
  })

  it('keeps 3 agents of capacity 2 at 2 each and serves the 10 customers by priority as agents free up', async () => {
    const agentIds = ['s_r0', 's_r1', 's_r2']
    const agents = await Promise.all(
      ['r0', 'r1', 'r2'].map(async (login) => server.connect(await server.agentToken(login, ['general'], 2))),
    )
    // The first six fill every seat; the last four wait, with VIP levels that reorder them.
    const vipLevels = [0, 0, 0, 0, 0, 0, 1, 3, 0, 2]
    const customers: { client: TestClient; conversationId: string; vipLevel: number }[] = []
    for (const [index, vipLevel] of vipLevels.entries()) {
      const client = await server.connect(await server.customerToken({ userId: `q${index}`, vipLevel }))
      const conversation = await client.openConversation()
      customers.push({ client, conversationId: conversation.id, vipLevel })
    }
    for (const customer of customers.slice(0, 6)) await customer.client.waitFor('conversation.assigned')
    expect(await loads(agentIds)).toEqual([2, 2, 2])
    const queued = await server.server.repo.listConversations({ states: ['queued'], limit: 100 })
    expect(queued).toHaveLength(4)

    const waiting = customers.slice(6)
    const position = async (customer: (typeof customers)[number]) =>
      (await customer.client.waitFor('conversation.queued', (frame) => frame.position > 0)).position
    expect(await position(waiting[1]!)).toBe(1)

    const served: typeof customers = []
    // One wait per waiting customer, raced as seats free up: each takes its own assignment once.
    const assignedOf = new Map(
      waiting.map((c) => [c, c.client.waitFor('conversation.assigned', () => true, 20_000).then(() => c)]),
    )
    for (const holder of customers.slice(0, 4)) {
      holder.client.send({ t: 'conversation.resolve', conversationId: holder.conversationId })
      await holder.client.waitFor('conversation.resolved')
      const pending = waiting.filter((customer) => !served.includes(customer))
      served.push(await Promise.race(pending.map((c) => assignedOf.get(c) as Promise<typeof c>)))
      for (const load of await loads(agentIds)) expect(load).toBeLessThanOrEqual(2)
    }
    expect(served.map((customer) => customer.vipLevel)).toEqual([3, 2, 1, 0])
    await Promise.all(
      [...agents, ...customers.map((customer) => customer.client)].map((client) => client.close()),
    )
  })

  it('puts a dropped agent’s conversations back in the queue for another agent', async () => {
    const first = await server.connect(await server.agentToken('drop-1', ['general'], 1))
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    await customer.waitFor('conversation.assigned')
    const second = await server.connect(await server.agentToken('drop-2', ['general'], 1))
    customer.frames.length = 0
    await first.close()
    const reassigned = await customer.waitFor('conversation.assigned')
    expect(reassigned.conversation).toMatchObject({ id: conversation.id, agentId: 's_drop-2' })
    await Promise.all([second.close(), customer.close()])
  })
})
