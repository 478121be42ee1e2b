import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ExperimentsReply, ExperimentsSchema, type Message, variantFor } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

const EXPERIMENTS = ExperimentsSchema.parse([
  {
    id: 'greeting-test',
    name: 'Greeting',
    variants: [
      { id: 'A', greeting: '请稍候' },
      { id: 'B', greeting: '请先描述您的问题' },
    ],
  },
  {
    id: 'routing-test',
    name: 'Retention first',
    // B sends everyone to the retention team; A keeps the service's rules (general for these customers).
    variants: [{ id: 'A' }, { id: 'B', rules: [{ team: 'retention', when: {} }] }],
  },
])

let server: TestServer
beforeAll(async () => {
  const file = join(tmpdir(), `kefu-experiments-${process.pid}.json`)
  writeFileSync(file, JSON.stringify(EXPERIMENTS))
  server = await TestServer.start({ EXPERIMENTS_FILE: file })
})
afterAll(async () => server?.stop())

describe('experiments on a real server', () => {
  it('splits customers by id: each meets their variant’s greeting and routing, and the comparison counts them', async () => {
    const lead = await server.agentToken('exp-lead', ['general', 'retention'], 0, 'supervisor')
    const customers = Array.from({ length: 10 }, (_, i) => `exp-customer-${i}`)
    for (const userId of customers) {
      const customer = await server.connect(await server.customerToken({ userId }))
      const conversation = await customer.openConversation()
      // The server's id for a signed customer is u_ and the integrator's id.
      const [greeting, routing] = EXPERIMENTS.map((experiment) => variantFor(experiment, `u_${userId}`))
      expect(conversation.teamId).toBe(routing?.id === 'B' ? 'retention' : 'general')
      const said = await customer.waitFor('message.new', (frame) => frame.message.kind === 'system')
      expect(said.message.body).toBe(greeting?.greeting)
      await customer.say(conversation.id, '你好')
      const { body } = await server.get<{ messages: Message[] }>(
        `/api/conversations/${conversation.id}/messages`,
        lead,
      )
      const variants = body.messages
        .filter((message) => message.kind === 'event')
        .map((message) => JSON.parse(message.body) as Record<string, string>)
        .filter((event) => event.event === 'experiment')
      expect(variants).toEqual([
        { event: 'experiment', experimentId: 'greeting-test', variant: greeting?.id },
        { event: 'experiment', experimentId: 'routing-test', variant: routing?.id },
      ])
      await customer.close()
    }
    // Both variants of both experiments met someone (the split is 50/50 by hash).
    const { body: reply } = await server.get<ExperimentsReply>('/api/experiments', lead)
    const greeting = reply.experiments.find((experiment) => experiment.id === 'greeting-test')
    const inA = customers.filter((id) => variantFor(EXPERIMENTS[0] as never, `u_${id}`).id === 'A').length
    expect(greeting?.variants).toEqual([
      { id: 'A', conversations: inA },
      { id: 'B', conversations: customers.length - inA },
    ])
    // Nobody answered: the greeting is no first response, and ten customers are too few to compare.
    expect(greeting?.frt).toMatchObject({ verdict: 'too_small' })
    expect(greeting?.frt.a).toBeUndefined()
    const quality = await server.get<{ overall: { frt: { count: number } } }>('/api/quality', lead)
    expect(quality.body.overall.frt.count).toBe(0)
    expect((await server.get<{ code: string }>('/api/experiments?days=0', lead)).body.code).toBe(
      'bad_request',
    )
  })
})
