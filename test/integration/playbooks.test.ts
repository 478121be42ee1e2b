import { rmSync } from 'node:fs'
import { type Conversation, type PlaybookActivation, parseConversationEvent } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'
import { until } from '../helpers/until'

// The demo seeds playbook-payment-outage: every queue overflows to general at once, and questions
// about paying move up the queue by 5 and get its auto-reply.
const OUTAGE = 'playbook-payment-outage'
const BANNER_ZH = /支付通道正在抢修/
const REPLY_ZH = /支付通道故障正在抢修/
const REPLY_EN = /our payment service is down/

let server: TestServer
let lead: string
beforeAll(async () => {
  server = await TestServer.start({ ROUTING_TICK_MS: '100' })
  lead = await server.agentToken('pb-lead', ['general'], 0, 'supervisor')
})
afterAll(async () => server?.stop())

let customers = 0
async function customer(vipLevel = 0): Promise<{ client: TestClient; id: string }> {
  const client = await server.connect(
    await server.customerToken({ userId: `pb-customer-${++customers}`, vipLevel }),
  )
  return { client, id: (await client.openConversation()).id }
}

const stored = async (id: string): Promise<Conversation> => {
  const conversation = await server.server.repo.getConversation(id as Conversation['id'])
  if (!conversation) throw new Error(`no conversation ${id}`)
  return conversation
}

/** What the playbook said into a conversation, by kind, read from the stored history. */
async function playbookSaid(id: string): Promise<string[]> {
  const history = await server.server.repo.listMessagesAfter(id as Conversation['id'], 0, 500)
  return history
    .filter((message) => message.kind === 'event')
    .flatMap((message) => {
      const event = parseConversationEvent(message.body)
      return event?.event === 'playbook.said' ? [event.said] : []
    })
}

const botSaid = (client: TestClient, id: string, pattern: RegExp) =>
  client.waitFor(
    'message.new',
    (frame) =>
      frame.message.conversationId === id &&
      frame.message.authorRole === 'bot' &&
      pattern.test(frame.message.body),
  )

describe('an emergency playbook', () => {
  it('is refused to agents, for unknown ids, and while another is on', async () => {
    const agent = await server.agentToken('pb-agent-refused', ['general'], 0)
    const refused = await server.post<{ code: string }>(`/api/playbooks/${OUTAGE}/activate`, {}, agent)
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden'])
    const unknown = await server.post<{ code: string }>('/api/playbooks/no-such-playbook/activate', {}, lead)
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found'])
    const imported = await server.post(
      '/api/knowledge/import',
      {
        format: 'jsonl',
        text: JSON.stringify({
          id: 'playbook-logistics-delay',
          tier: 'playbook',
          lang: 'zh',
          title: '物流延误',
          match: ['物流', '快递'],
          banner: {
            zh: '受天气影响部分地区物流延误',
            en: 'Deliveries to some regions are delayed by weather',
          },
          autoReply: { zh: '物流延误，请耐心等待', en: 'Deliveries are delayed, thank you for waiting' },
        }),
      },
      lead,
    )
    expect(imported.status).toBe(200)
    expect((await server.post(`/api/playbooks/${OUTAGE}/activate`, {}, lead)).status).toBe(200)
    const second = await server.post<{ code: string }>(
      '/api/playbooks/playbook-logistics-delay/activate',
      {},
      lead,
    )
    expect([second.status, second.body.code]).toEqual([409, 'conflict'])
    const off = await server.post<{ activation: PlaybookActivation }>('/api/playbooks/deactivate', {}, lead)
    expect(off.body.activation.deactivatedBy).toBe('s_pb-lead')
    // Switching off what is off is no error and changes nothing.
    expect((await server.post('/api/playbooks/deactivate', {}, lead)).body).toEqual({ activation: null })
  })

  it('switched on and off: banner, auto-reply, overflow and priority, with everything restored', async () => {
    const calm = await customer()
    await calm.client.say(calm.id, '请问什么时候发货')
    const paying = await customer()
    await paying.client.say(paying.id, '支付失败了 钱扣了')
    // A VIP waits for premium, where no one works: by the service's own policy only after 60 s overflow.
    const vip = await customer(5)
    const before = await Promise.all([calm.id, paying.id, vip.id].map(stored))
    expect(before.map((conversation) => [conversation.teamId, conversation.priority])).toEqual([
      ['general', 0],
      ['general', 0],
      ['premium', 5],
    ])

    const on = await server.post<{ activation: PlaybookActivation }>(
      `/api/playbooks/${OUTAGE}/activate`,
      {},
      lead,
    )
    expect(on.status).toBe(200)
    expect(on.body.activation).toMatchObject({ activatedBy: 's_pb-lead', deactivatedAt: null })
    for (const { client } of [calm, paying, vip]) {
      const notice = await client.waitFor('service.notice', (frame) => frame.notice !== null)
      expect(notice.notice?.banner.zh).toMatch(BANNER_ZH)
    }
    // Who asked about paying before the switch moves up the queue; who did not stays.
    expect(
      (
        await until(
          () => stored(paying.id),
          (c) => c.priority === 5,
        )
      ).priority,
    ).toBe(5)
    expect((await stored(calm.id)).priority).toBe(0)

    // A customer arriving now sees the banner from the start and is answered in their language.
    const english = await customer()
    expect(english.client.frames.find((frame) => frame.t === 'welcome')).toMatchObject({
      notice: { playbookId: OUTAGE },
    })
    await english.client.say(english.id, 'my payment failed but I was charged')
    await botSaid(english.client, english.id, REPLY_EN)
    await paying.client.say(paying.id, '还是付不了')
    await botSaid(paying.client, paying.id, REPLY_ZH)
    await calm.client.say(calm.id, '在吗')
    expect(
      (
        await until(
          () => stored(english.id),
          (c) => c.priority === 5,
        )
      ).priority,
    ).toBe(5)
    // Asked twice, moved up once.
    expect((await stored(paying.id)).priority).toBe(5)

    // A general agent with three seats: the VIP overflows to them at once, the payers come before the calm.
    const agent = await server.connect(await server.agentToken('pb-general', ['general'], 3))
    const assigned = await until(
      () => Promise.all([paying.id, vip.id, english.id, calm.id].map(stored)),
      (all) => all.slice(0, 3).every((conversation) => conversation.agentId === 's_pb-general'),
    )
    expect(assigned.map((conversation) => conversation.agentId)).toEqual([
      's_pb-general',
      's_pb-general',
      's_pb-general',
      null,
    ])
    expect(assigned[1]?.teamId).toBe('general')

    const off = await server.post<{ activation: PlaybookActivation }>('/api/playbooks/deactivate', {}, lead)
    expect(off.body.activation).toMatchObject({ deactivatedBy: 's_pb-lead', activatedBy: 's_pb-lead' })
    expect(off.body.activation.deactivatedAt).toBeGreaterThanOrEqual(on.body.activation.activatedAt)
    expect([...off.body.activation.boosted].sort()).toEqual([paying.id, english.id].sort())
    for (const { client } of [calm, paying, vip, english])
      await client.waitFor('service.notice', (frame) => frame.notice === null)
    // Priorities back where they were; the calm customer's never moved.
    const after = await Promise.all([calm.id, paying.id, vip.id, english.id].map(stored))
    expect(after.map((conversation) => conversation.priority)).toEqual([0, 0, 5, 0])
    expect(await playbookSaid(calm.id)).toEqual([])
    expect(await playbookSaid(paying.id)).toEqual(['auto_reply'])

    // The service's own overflow again: with seats free in general, a new VIP waits for premium.
    agent.send({ t: 'conversation.resolve', conversationId: paying.id })
    agent.send({ t: 'conversation.resolve', conversationId: english.id })
    await until(
      () => stored(calm.id),
      (c) => c.agentId !== null,
    )
    const laterVip = await customer(5)
    await laterVip.client.say(laterVip.id, '支付失败了')
    // Routing looked again on its schedule, and still left it for premium.
    await server.jobRunsMore('routing-tick', 2)
    expect(await stored(laterVip.id)).toMatchObject({ agentId: null, teamId: 'premium', priority: 5 })
    expect(await playbookSaid(laterVip.id)).toEqual([])
    const lateWelcome = await server.connect(await server.customerToken({ userId: 'pb-late' }))
    expect(lateWelcome.frames.find((frame) => frame.t === 'welcome')).toMatchObject({ notice: null })

    const { body } = await server.get<{ active: unknown; activations: PlaybookActivation[] }>(
      '/api/playbooks',
      lead,
    )
    expect(body.active).toBeNull()
    expect(body.activations[0]).toMatchObject({ id: on.body.activation.id, deactivatedBy: 's_pb-lead' })
    for (const client of [calm, paying, vip, english, laterVip].map((c) => c.client)) await client.close()
    await Promise.all([agent.close(), lateWelcome.close()])
  })

  it('stays on across a restart', async () => {
    const first = await TestServer.start()
    const firstLead = await first.agentToken('pb-restart-lead', ['general'], 0, 'supervisor')
    expect((await first.post(`/api/playbooks/${OUTAGE}/activate`, {}, firstLead)).status).toBe(200)
    await first.server.close()
    const restarted = await TestServer.start({}, first.dataDir)
    try {
      const client = await restarted.connect(await restarted.customerToken({ userId: 'pb-after-restart' }))
      expect(client.frames.find((frame) => frame.t === 'welcome')).toMatchObject({
        notice: { playbookId: OUTAGE },
      })
      await client.close()
      const leadAgain = await restarted.agentToken('pb-restart-lead', ['general'], 0, 'supervisor')
      const off = await restarted.post<{ activation: PlaybookActivation }>(
        '/api/playbooks/deactivate',
        {},
        leadAgain,
      )
      expect(off.body.activation.playbook.id).toBe(OUTAGE)
    } finally {
      await restarted.server.close()
      rmSync(first.dataDir, { recursive: true, force: true })
    }
  })
})
