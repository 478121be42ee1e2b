import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { LocalPostgres } from '@kefu/signal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

// A real PostgreSQL on a loopback port, started for this file (setup installs it).
let cluster: LocalPostgres
beforeAll(async () => {
  cluster = await LocalPostgres.start()
}, 30_000)
afterAll(() => cluster?.stop())

describe('the server on PostgreSQL (DATABASE_URL)', () => {
  it('carries a conversation and finds all of it again after a restart', async () => {
    const url = await cluster.createDatabase('restart')
    const first = await TestServer.start({ DATABASE_URL: url })
    const agentToken = await first.agentToken('pg-agent', ['general'], 2)
    const agent = await first.connect(agentToken)
    const customerToken = await first.customerToken({ userId: 'pg-customer' })
    const customer = await first.connect(customerToken)
    const conversation = await customer.openConversation()
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)
    const asked = await customer.say(conversation.id, '订单什么时候发货？')
    await agent.waitFor('message.new', (frame) => frame.message.body === '订单什么时候发货？')
    const answered = await agent.say(conversation.id, 'It ships today.')
    expect(answered.seq).toBe(asked.seq + 1)
    await Promise.all([agent.close(), customer.close()])
    // Nothing went to the embedded store.
    expect(existsSync(join(first.dataDir, 'kefu.db'))).toBe(false)
    await first.stop()

    const second = await TestServer.start({ DATABASE_URL: url })
    try {
      const { body } = await second.get<{ messages: { seq: number; body: string; kind: string }[] }>(
        `/api/conversations/${conversation.id}/messages`,
        await second.agentToken('pg-agent', ['general'], 2),
      )
      expect(body.messages.filter((m) => m.kind === 'text').map((m) => [m.seq, m.body])).toEqual([
        [asked.seq, '订单什么时候发货？'],
        [answered.seq, 'It ships today.'],
      ])
      // The customer's phone, back after the restart, picks up where it was.
      const phone = await second.connect(customerToken, 'phone')
      const more = await phone.say(conversation.id, '好的 谢谢')
      expect(more.seq).toBeGreaterThan(answered.seq)
      await phone.close()
    } finally {
      await second.stop()
    }
  })
})
