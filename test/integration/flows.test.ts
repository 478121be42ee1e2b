import type { Message } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type IntegratorCall, startIntegrator } from '../helpers/integratorServer'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'

// Each shipped flow (the demo seeds them) end to end: the customer's words through the real
// server, the assistant's questions back, the shop's webhook on a loopback port, signed.
const SECRET = 'flows-test-secret-0123456789'
let server: TestServer
let lead: string
let shop: Awaited<ReturnType<typeof startIntegrator>>

beforeAll(async () => {
  shop = await startIntegrator(SECRET, {
    order_status: (slots) =>
      slots.order_id === '2026112000009'
        ? { ok: true, data: { status: 'not_found' } }
        : {
            ok: true,
            data: { status: 'shipped', carrier: '顺丰速运', tracking: 'SF1234567890', eta: '12-04' },
          },
    refund_eligibility: () => ({ ok: true, data: { eligible: true, amount: '88.00' } }),
    refund_create: (slots) => ({ ok: true, data: { refund_id: `RF-${slots.order_id}` } }),
    delivery_change: () => ({ ok: true, data: { changed: true } }),
    invoice_issue: () => ({ ok: true, data: { eta: '2 小时' } }),
    account_unlock: () => 500,
  })
  server = await TestServer.start({
    BOT_FIRST: '1',
    INTEGRATOR_WEBHOOK_URL: shop.url,
    INTEGRATOR_WEBHOOK_SECRET: SECRET,
  })
  lead = await server.agentToken('flow-lead', ['general'], 0, 'supervisor')
})
afterAll(async () => {
  await server?.stop()
  shop?.server.close()
})

let customers = 0
/** A customer who says each line in turn, each after the assistant has spoken since the last. */
async function conversationWith(): Promise<{
  customer: TestClient
  id: string
  say(text: string, expected: RegExp): Promise<string>
}> {
  const customer = await server.connect(
    await server.customerToken({ userId: `flow-customer-${++customers}` }),
  )
  const { id } = await customer.openConversation()
  return {
    customer,
    id,
    // Resolves with the assistant's line that matches `expected`, said after `text`.
    say: async (text, expected) => {
      const ack = await customer.say(id, text)
      const reply = await customer.waitFor(
        'message.new',
        (frame) =>
          frame.message.conversationId === id &&
          frame.message.authorRole === 'bot' &&
          (frame.message.seq ?? 0) > (ack.seq ?? 0) &&
          expected.test(frame.message.body),
      )
      return reply.message.body
    },
  }
}

const callsOf = (conversationId: string): IntegratorCall[] =>
  shop.calls.filter((call) => call.conversationId === conversationId)

async function eventsOf(conversationId: string): Promise<Record<string, unknown>[]> {
  const { body } = await server.get<{ messages: Message[] }>(
    `/api/conversations/${conversationId}/messages`,
    lead,
  )
  return body.messages
    .filter((message) => message.kind === 'event')
    .map((message) => JSON.parse(message.body) as Record<string, unknown>)
}

describe('the shipped scenario flows, end to end', () => {
  it('order status: asks the order id (again when it is not one), calls the shop, tells where it is, resolves', async () => {
    const chat = await conversationWith()
    await chat.say('我的订单到哪了', /订单号/)
    await chat.say('不知道啊', /没认出订单号/)
    await chat.say('2026112000009', /没有查到订单 2026112000009/)
    const told = await chat.say('哦是 2026112000003', /顺丰速运/)
    expect(told).toContain('运单号 SF1234567890，预计 12-04 送达')
    await chat.customer.waitFor('message.new', (frame) => frame.message.body.includes('这样处理可以吗'))
    await chat.say('解决了', /祝您购物愉快/)
    await chat.customer.waitFor('conversation.resolved')
    const calls = callsOf(chat.id)
    expect(calls.map((call) => [call.action, call.slots.order_id, call.signed])).toEqual([
      ['order_status', '2026112000009', true],
      ['order_status', '2026112000003', true],
    ])
    const events = await eventsOf(chat.id)
    expect(events.filter((event) => event.event === 'flow.ended')).toEqual([
      { event: 'flow.ended', flowId: 'flow-order-status', outcome: 'resolved' },
    ])
    expect(events.some((event) => event.event === 'queued')).toBe(false)
  })

  it('refund: takes the order id from the first message, offers reasons as quick replies, confirms, files it', async () => {
    const chat = await conversationWith()
    await chat.say('我要退款，订单号 2026112000005', /退款原因/)
    const step = (await eventsOf(chat.id)).filter((event) => event.event === 'flow.step').at(-1)
    expect(step?.quickReplies).toEqual(['质量问题', '不想要了', '发错货'])
    await chat.say('质量问题', /可以退款 88.00 元/)
    const filed = await chat.say('确认退款', /退款申请已提交/)
    expect(filed).toContain('编号 RF-2026112000005')
    await chat.customer.waitFor('conversation.resolved')
    expect(callsOf(chat.id).map((call) => call.action)).toEqual(['refund_eligibility', 'refund_create'])
    expect(callsOf(chat.id)[0]?.slots).toMatchObject({ order_id: '2026112000005', reason: 'quality' })
  })

  it('delivery change: validates the phone number, sends the new address to the shop', async () => {
    const chat = await conversationWith()
    await chat.say('地址填错了想改一下', /订单号/)
    await chat.say('2026112000006', /新的收货地址/)
    await chat.say('上海市浦东新区世纪大道 100 号 8 楼', /手机号/)
    await chat.say('电话 12345', /没认出手机号/)
    const changed = await chat.say('13800138000', /已把订单 2026112000006 的收货地址改为/)
    expect(changed).toContain('上海市浦东新区世纪大道 100 号 8 楼（13800138000）')
    expect(callsOf(chat.id)[0]?.slots).toMatchObject({
      address: '上海市浦东新区世纪大道 100 号 8 楼',
      phone: '13800138000',
    })
  })

  it('invoice: branches on company or personal, asks the tax id only for a company', async () => {
    const chat = await conversationWith()
    await chat.say('我要开发票 订单 2026112000001', /个人发票还是企业发票/)
    await chat.say('企业', /税号/)
    await chat.say('91310000MA1K000000', /邮箱/)
    const issued = await chat.say('发到 finance@example.com', /电子发票/)
    expect(issued).toContain('2 小时内发送到 finance@example.com')
    expect(callsOf(chat.id)[0]?.slots).toMatchObject({
      invoice_kind: 'company',
      tax_id: '91310000MA1K000000',
    })
  })

  it('account: a failing shop sends the customer to a person, who sees everything the flow learnt', async () => {
    const agent = await server.connect(await server.agentToken('flow-agent', ['general'], 5))
    const chat = await conversationWith()
    await chat.say('账号被锁了登不上', /哪类账号问题/)
    await chat.say('账号被锁', /绑定的手机号/)
    await chat.say('13900139000', /系统暂时查不到，已为您转接人工客服/)
    const assigned = await agent.waitFor(
      'conversation.assigned',
      (frame) => frame.conversation.id === chat.id,
    )
    expect(assigned.conversation.agentId).toBe('s_flow-agent')
    const events = await eventsOf(chat.id)
    expect(events.find((event) => event.event === 'flow.called')).toEqual({
      event: 'flow.called',
      flowId: 'flow-account',
      action: 'account_unlock',
      ok: false,
    })
    expect(events.find((event) => event.event === 'bot.handed_off')).toEqual({
      event: 'bot.handed_off',
      reason: 'flow',
    })
    expect(events.filter((event) => event.event === 'flow.step').at(-1)?.slots).toMatchObject({
      issue: 'locked',
      phone: '13900139000',
    })
  })

  it('lets the customer leave a flow for a person at any step', async () => {
    const chat = await conversationWith()
    await chat.say('帮我查下物流', /订单号/)
    await chat.say('转人工', /转接人工客服/)
    // The hand-off is said first and queued right after (over a networked store, a moment later).
    const events = async () => (await eventsOf(chat.id)).map((event) => event.event)
    await expect.poll(events).toContain('queued')
    expect(await events()).toContain('flow.ended')
  })
})
