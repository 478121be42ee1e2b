import { createHmac } from 'node:crypto'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'

// The shop's backend posts what its customers do, signed as the README says: HMAC-SHA256 over
// "<timestamp>.<body>", computed here on its own rather than with the server's code.
const SECRET = 'proactive-test-secret-0123456789'
const OFFER_PAYMENT = /付款没有成功/
const OFFER_REFUND = /退款政策/

let server: TestServer
beforeAll(async () => {
  server = await TestServer.start({ INTEGRATOR_WEBHOOK_SECRET: SECRET })
})
afterAll(async () => {
  await server?.stop()
  rmSync(server.dataDir, { recursive: true, force: true })
})

interface Posted {
  status: number
  body: { accepted?: number; offered?: { ruleId: string; conversationId: string }[]; code?: string }
}

async function post(
  events: object[] | string,
  { secret = SECRET, at = Date.now(), to = server } = {},
): Promise<Posted> {
  const body = typeof events === 'string' ? events : JSON.stringify({ events })
  const timestamp = String(at)
  const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
  const response = await fetch(`${to.url}/api/integrator/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kefu-timestamp': timestamp,
      'x-kefu-signature': signature,
    },
    body,
  })
  return { status: response.status, body: (await response.json()) as Posted['body'] }
}

let events = 0
const paymentFailed = (customerId: string, id = `ev-${++events}`) => ({
  id,
  customerId,
  type: 'payment_failed',
  at: Date.now(),
  orderId: '2026120300001',
  reason: 'card_declined',
})
const refundPolicyView = (customerId: string) => ({
  id: `ev-${++events}`,
  customerId,
  type: 'page_view',
  page: 'refund-policy',
  at: Date.now(),
})

/** A customer the service knows (signed in once, through the shop's signed profile), online now. */
async function shopper(name: string): Promise<TestClient> {
  return server.connect(await server.customerToken({ userId: name }))
}

const offersIn = (client: TestClient, pattern: RegExp) =>
  client.frames.filter(
    (frame) =>
      frame.t === 'message.new' && frame.message.authorRole === 'bot' && pattern.test(frame.message.body),
  )

describe('proactive service from the shop’s behaviour events', () => {
  it('refuses unsigned, forged, stale and malformed posts, and offers nothing for them', async () => {
    const client = await shopper('pro-forged')
    const unsigned = await fetch(`${server.url}/api/integrator/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [paymentFailed('pro-forged')] }),
    })
    expect([unsigned.status, ((await unsigned.json()) as { code: string }).code]).toEqual([
      401,
      'signature_invalid',
    ])
    const forged = await post([paymentFailed('pro-forged')], { secret: 'not-the-shop-secret-0123456789' })
    expect([forged.status, forged.body.code]).toEqual([401, 'signature_invalid'])
    const stale = await post([paymentFailed('pro-forged')], { at: Date.now() - 10 * 60_000 })
    expect([stale.status, stale.body.code]).toEqual([401, 'signature_invalid'])
    const malformed = await post([{ ...paymentFailed('pro-forged'), type: 'teleported' }])
    expect([malformed.status, malformed.body.code]).toEqual([400, 'bad_request'])
    expect((await post('{"events": [')).body.code).toBe('bad_request')
    // Refused before anything was offered: whatever an offer would have sent came before the answer.
    await client.roundTrip()
    expect(offersIn(client, OFFER_PAYMENT)).toEqual([])
    expect(
      await server.server.repo.listConversations({ customerId: 'u_pro-forged' as never, limit: 5 }),
    ).toEqual([])
    await client.close()
  })

  it('a failed payment offers help exactly once a day, even posted again, retried or all at once', async () => {
    const client = await shopper('pro-payer')
    const first = await post([paymentFailed('pro-payer', 'pay-1')])
    expect(first.status).toBe(200)
    expect(first.body.offered?.map((offer) => offer.ruleId)).toEqual(['payment-failed'])
    const opened = await client.waitFor('conversation.opened')
    await client.waitFor('message.new', (frame) => OFFER_PAYMENT.test(frame.message.body))
    // The same event retried is not taken again; new failures the same day offer nothing more.
    expect((await post([paymentFailed('pro-payer', 'pay-1')])).body).toEqual({ accepted: 0, offered: [] })
    const again = await Promise.all([1, 2, 3, 4].map(() => post([paymentFailed('pro-payer')])))
    expect(again.flatMap((answer) => answer.body.offered ?? [])).toEqual([])
    await client.roundTrip()
    expect(offersIn(client, OFFER_PAYMENT)).toHaveLength(1)

    // The offer waits with the assistant, not in anyone's queue, until the customer takes it.
    const conversation = await server.server.repo.getConversation(opened.conversation.id)
    expect(conversation?.state).toBe('queued')
    expect(conversation && (await server.server.hold.holds(conversation))).toBe(true)
    client.send({
      t: 'message.send',
      conversationId: opened.conversation.id,
      cid: 'take-offer',
      body: '需要帮助',
    })
    const queued = await client.waitFor(
      'conversation.queued',
      (frame) => frame.conversation.id === opened.conversation.id,
    )
    expect(await server.server.hold.holds(queued.conversation)).toBe(false)
    await client.close()
  })

  it('the refund policy read three times in ten minutes offers help on the third, once', async () => {
    const client = await shopper('pro-reader')
    const answers = []
    for (let view = 0; view < 4; view++) answers.push(await post([refundPolicyView('pro-reader')]))
    expect(answers.map((answer) => answer.body.offered?.length)).toEqual([0, 0, 1, 0])
    await client.waitFor('message.new', (frame) => OFFER_REFUND.test(frame.message.body))
    // Other pages do not count towards it, and no other rule fires.
    expect((await post([{ ...refundPolicyView('pro-reader'), page: 'home' }])).body.offered).toEqual([])
    await client.close()
  })

  it('offers nothing to someone the service has never met', async () => {
    const answer = await post([paymentFailed('pro-stranger')])
    expect(answer.body).toEqual({ accepted: 1, offered: [] })
  })

  it('keeps its once-a-day record across a restart', async () => {
    const dataDir = server.dataDir
    await server.server.close()
    server = await TestServer.start({ INTEGRATOR_WEBHOOK_SECRET: SECRET }, dataDir)
    expect((await post([paymentFailed('pro-payer')])).body.offered).toEqual([])
  })

  it("keeps a customer's last day of events across a restart: the third view counts", async () => {
    const reader = await shopper('pro-restart-reader')
    for (let view = 0; view < 2; view++)
      expect((await post([refundPolicyView('pro-restart-reader')])).body.offered).toEqual([])
    await reader.close()
    const dataDir = server.dataDir
    await server.server.close()
    server = await TestServer.start({ INTEGRATOR_WEBHOOK_SECRET: SECRET }, dataDir)
    const third = await post([refundPolicyView('pro-restart-reader')])
    expect(third.body.offered?.map((offer) => offer.ruleId)).toHaveLength(1)
  })
})
