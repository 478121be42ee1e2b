import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Alert, DashboardSnapshot, Message } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ReceivedAlert, startAlertReceiver } from '../helpers/alertReceiver'
import { ShiftedClock, TestServer } from '../helpers/testServer'
import { until } from '../helpers/until'

const WEBHOOK_SECRET = 'alert-webhook-secret-for-tests'

let receiver: Awaited<ReturnType<typeof startAlertReceiver>>
let received: ReceivedAlert[]
let server: TestServer
const clock = new ShiftedClock()

beforeAll(async () => {
  // It refuses the first post, to see the retry.
  receiver = await startAlertReceiver(WEBHOOK_SECRET, (nth) => (nth === 1 ? 503 : 204))
  received = receiver.received
  const rules = join(tmpdir(), `kefu-alert-rules-${process.pid}.json`)
  // A first response slower than 300 ms in the general team is an alert here (premium's is 15 s).
  writeFileSync(
    rules,
    JSON.stringify({ thresholds: [{ figure: 'frt', teamId: 'general', above: 300, minCount: 1 }] }),
  )
  server = await TestServer.start(
    {
      ALERT_RULES_FILE: rules,
      ALERT_WEBHOOK_URL: receiver.url,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      QUALITY_SAMPLE_MS: '200',
    },
    undefined,
    { clock },
  )
})
afterAll(async () => {
  await server?.stop()
  receiver?.server.close()
})

interface Figure {
  value: number | null
  count: number
}
interface Report {
  conversations: number
  source: string
  overall: Record<string, Figure>
  byTeam: Record<string, Record<string, Figure>>
  byAgent: Record<string, Record<string, Figure>>
}

describe('operations on a real server: ratings, resolution codes, live figures, dashboard, alerts', () => {
  it('hands over with a note, resolves with a code, takes one rating, and the live figures equal a recompute', async () => {
    const lead = await server.agentToken('ops-lead', ['general'], 0, 'supervisor')
    const first = await server.connect(await server.agentToken('ops-first', ['general'], 5))
    const customerToken = await server.customerToken({
      userId: 'ops-customer',
      lastPurchaseAt: 1_790_000_000_000,
    })
    const customer = await server.connect(customerToken)
    const conversation = await customer.openConversation()
    await first.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)
    const second = await server.connect(await server.agentToken('ops-second', ['general'], 5))
    await customer.say(conversation.id, '发票开错了')
    first.send({
      t: 'conversation.transfer',
      conversationId: conversation.id,
      toAgentId: 's_ops-second',
      note: '  客户要改抬头  ',
    })
    await second.waitFor('conversation.transferred', (frame) => frame.conversation.id === conversation.id)
    clock.jump(350)
    await second.say(conversation.id, '好的，我来改')
    second.send({ t: 'conversation.resolve', conversationId: conversation.id, code: 'order_fixed' })
    await customer.waitFor('conversation.resolved')

    // Not before it is resolved, not by staff; then once, and a repeat changes nothing.
    second.send({ t: 'conversation.rate', conversationId: conversation.id, score: 5 })
    expect((await second.waitFor('error')).code).toBe('forbidden')
    customer.send({ t: 'conversation.rate', conversationId: conversation.id, score: 9 })
    expect((await customer.waitFor('error')).code).toBe('bad_frame')
    customer.send({ t: 'conversation.rate', conversationId: conversation.id, score: 4, comment: '很快' })
    await customer.waitFor('conversation.updated', (frame) => frame.conversation.id === conversation.id)
    customer.send({ t: 'conversation.rate', conversationId: conversation.id, score: 1 })
    customer.send({ t: 'ping', at: 1 })
    await customer.waitFor('pong')

    const history = await server.get<{ messages: Message[] }>(
      `/api/conversations/${conversation.id}/messages`,
      lead,
    )
    const events = history.body.messages
      .filter((message) => message.kind === 'event')
      .map((message) => JSON.parse(message.body) as Record<string, unknown>)
    // The note is staff's: the history (which the customer syncs) says only that there is one.
    expect(events.find((event) => event.event === 'transferred')).toMatchObject({ hasNote: true })
    expect(JSON.stringify(history.body.messages)).not.toContain('客户要改抬头')
    const staffView = await server.get<{ notes: { note: string; authorName: string }[] }>(
      `/api/conversations/${conversation.id}`,
      lead,
    )
    expect(staffView.body.notes).toEqual([
      expect.objectContaining({ note: '客户要改抬头', authorName: 'ops-first' }),
    ])
    const customerView = await server.get(`/api/conversations/${conversation.id}`, customerToken)
    expect(customerView.status).toBe(200)
    expect(customerView.body).not.toHaveProperty('notes')
    expect(customerView.body).not.toHaveProperty('customer')
    // Staff see the verified profile and where the customer is online.
    expect(staffView.body).toMatchObject({
      customer: {
        vipLevel: 0,
        lastPurchaseAt: 1_790_000_000_000,
        isGuest: false,
        devicesOnline: 1,
        earlier: [],
      },
    })
    expect(events.find((event) => event.event === 'resolved')).toMatchObject({ code: 'order_fixed' })
    expect(events.filter((event) => event.event === 'rated')).toEqual([
      { event: 'rated', score: 4, comment: '很快' },
    ])

    const range = `from=${Date.now() - 3600_000}&to=${Date.now() + 1}`
    const live = await server.get<Report>(`/api/quality?${range}`, lead)
    const log = await server.get<Report>(`/api/quality?${range}&source=log`, lead)
    expect(live.body.source).toBe('live')
    expect(log.body.source).toBe('log')
    expect(live.body.overall.csat).toEqual({ value: 1, count: 1 })
    expect(live.body.overall.transfer).toEqual({ value: 1, count: 1 })
    // The rating is the last handler's; the first agent wrote nothing and has no first response.
    expect(live.body.byAgent['s_ops-second']?.csat).toEqual({ value: 1, count: 1 })
    expect(live.body.byAgent['s_ops-first']?.frt?.count).toBe(0)
    const { source: _live, ...liveFigures } = live.body
    const { source: _log, ...logFigures } = log.body
    expect(liveFigures).toEqual(logFigures)
    await Promise.all([first.close(), second.close(), customer.close()])
  })

  it('keeps canned replies: one’s own, a team’s by its supervisor; others’ are not theirs to delete', async () => {
    const agentToken = await server.agentToken('ops-first', ['general'], 5)
    const otherToken = await server.agentToken('ops-second', ['general'], 5)
    const lead = await server.agentToken('ops-lead', ['general'], 0, 'supervisor')
    type Reply = { id: string; name: string; teamId: string | null; ownerId: string | null }
    const mine = await server.post<{ reply: Reply }>(
      '/api/canned-replies',
      { name: 'hi', body: '您好！' },
      agentToken,
    )
    expect(mine.status).toBe(201)
    expect(mine.body.reply).toMatchObject({ name: 'hi', teamId: null, ownerId: 's_ops-first' })
    const asTeam = { name: 'policy', body: '七天无理由退货', teamId: 'general' }
    expect((await server.post<{ code: string }>('/api/canned-replies', asTeam, agentToken)).body.code).toBe(
      'forbidden',
    )
    expect((await server.post('/api/canned-replies', asTeam, lead)).status).toBe(201)
    expect(
      (
        await server.post<{ code: string }>(
          '/api/canned-replies',
          { name: 'two words', body: 'x' },
          agentToken,
        )
      ).body.code,
    ).toBe('bad_request')
    expect(
      (await server.post<{ code: string }>('/api/canned-replies', { name: 'hi', body: 'again' }, agentToken))
        .body.code,
    ).toBe('bad_request')
    // Besides the demo's team replies (a development server seeds them).
    const names = async (token: string) =>
      (await server.get<{ replies: Reply[] }>('/api/canned-replies', token)).body.replies.map(
        (reply) => reply.name,
      )
    expect(await names(agentToken)).toEqual(expect.arrayContaining(['hi', 'policy', 'shipping']))
    expect(await names(otherToken)).toContain('policy')
    expect(await names(otherToken)).not.toContain('hi')
    const remove = (id: string, token: string) =>
      fetch(`${server.url}/api/canned-replies/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      })
    expect((await remove(mine.body.reply.id, otherToken)).status).toBe(404)
    expect((await remove(mine.body.reply.id, agentToken)).status).toBe(204)
    expect(await names(agentToken)).not.toContain('hi')
  })

  it('shows the metrics API’s figures on the dashboard, live over the socket, only to supervisors', async () => {
    const lead = await server.agentToken('ops-lead', ['general'], 0, 'supervisor')
    const { body: snapshot } = await server.get<DashboardSnapshot>('/api/dashboard', lead)
    const to = snapshot.at + 1
    const report = await server.get<Report>(`/api/quality?from=${to - snapshot.windowMs}&to=${to}`, lead)
    for (const figure of ['frt', 'asa', 'aht', 'fcr', 'csat', 'transfer', 'serviceLevel'])
      expect(snapshot.tiles[figure as keyof DashboardSnapshot['tiles']].now, figure).toEqual(
        report.body.overall[figure],
      )
    expect(snapshot.tiles.frt.spark).toHaveLength(12)
    // The newest point holds the conversations just measured.
    expect(snapshot.tiles.csat.spark.at(-1)).toBe(1)
    expect(snapshot.agents.map((agent) => agent.agentId)).toContain('s_ops-second')
    expect(snapshot.teams.map((team) => team.teamId)).toEqual(['general'])
    // Delivery: every message to a connected device was delivered.
    expect(snapshot.tiles.delivery.now.value).toBe(1)

    const watching = await server.connect(lead, 'dashboard')
    watching.send({ t: 'quality.watch' })
    const pushed = await watching.waitFor('quality.snapshot')
    expect(pushed.snapshot.tiles.csat.now).toEqual(snapshot.tiles.csat.now)
    const agent = await server.connect(await server.agentToken('ops-first', ['general'], 5), 'peek')
    agent.send({ t: 'quality.watch' })
    expect((await agent.waitFor('error')).code).toBe('forbidden')
    await Promise.all([watching.close(), agent.close()])
  })

  it('raises a slow first response as an alert: stored, on the dashboard, posted signed and retried, acknowledged once', async () => {
    const lead = await server.agentToken('ops-lead', ['general'], 0, 'supervisor')
    // The first test's first response took over 300 ms: the general team's rule is breached.
    const alerts = await until(
      () => server.get<{ alerts: Alert[] }>('/api/alerts', lead),
      (reply) => reply.body.alerts.some((alert) => alert.figure === 'frt'),
    )
    const raised = alerts.body.alerts.find((alert) => alert.figure === 'frt')
    expect(raised).toMatchObject({ kind: 'threshold', teamId: 'general', limit: 300, acknowledgedAt: null })
    expect(raised?.value).toBeGreaterThan(300)
    // Raised once while it holds, though the rule is checked at every sample.
    await server.jobRunsMore('quality-sample', 3)
    const again = await server.get<{ alerts: Alert[] }>('/api/alerts', lead)
    expect(again.body.alerts.filter((alert) => alert.figure === 'frt')).toHaveLength(1)

    // The receiver refused the first post: the retry carries the same alert id, validly signed.
    await until(
      async () => received.length,
      (count) => count >= 2,
    )
    expect(received.map((post) => post.id)).toEqual([raised?.id, raised?.id])
    expect(received.every((post) => post.valid)).toBe(true)
    expect(received[0]?.alert.value).toBe(raised?.value)

    const { body: snapshot } = await server.get<DashboardSnapshot>('/api/dashboard', lead)
    expect(snapshot.alerts.map((alert) => alert.id)).toContain(raised?.id)

    const other = await server.agentToken('ops-premium-lead', ['premium'], 0, 'supervisor')
    expect((await server.post<{ code: string }>(`/api/alerts/${raised?.id}/ack`, {}, other)).body.code).toBe(
      'not_found',
    )
    const acked = await server.post<{ alert: Alert }>(`/api/alerts/${raised?.id}/ack`, {}, lead)
    expect(acked.body.alert).toMatchObject({ acknowledgedBy: 's_ops-lead' })
    const second = await server.agentToken('ops-lead-2', ['general'], 0, 'supervisor')
    const repeat = await server.post<{ alert: Alert }>(`/api/alerts/${raised?.id}/ack`, {}, second)
    expect(repeat.body.alert.acknowledgedBy).toBe('s_ops-lead')
  })
})
