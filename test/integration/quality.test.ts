import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { agentsNeeded, type Message } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ShiftedClock, TestServer } from '../helpers/testServer'

let server: TestServer
const clock = new ShiftedClock()
beforeAll(async () => {
  server = await TestServer.start({}, undefined, { clock })
})
afterAll(async () => server?.stop())

interface Figure {
  value: number | null
  count: number
}

describe('the quality figures (GET /api/quality), from the stored event log', () => {
  it('measures real conversations: first response, waiting, transfers, resolution, abandonment', async () => {
    const lead = await server.agentToken('quality-lead', ['general', 'retention'], 0, 'supervisor')
    const agentToken = await server.agentToken('quality-agent', ['general'], 5)
    const agent = await server.connect(agentToken)
    const customer = await server.connect(await server.customerToken({ userId: 'quality-1' }))

    // One conversation answered and resolved; its figures from the stored history's own times.
    const answered = await customer.openConversation()
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === answered.id)
    await customer.say(answered.id, '我的订单还没到')
    clock.jump(120)
    await agent.say(answered.id, '我来帮您查一下')
    agent.send({ t: 'conversation.resolve', conversationId: answered.id })
    await customer.waitFor('conversation.resolved')
    customer.send({ t: 'conversation.rate', conversationId: answered.id, score: 5 })
    await customer.waitFor('conversation.updated', (frame) => frame.conversation.id === answered.id)

    const history = await server.get<{ messages: Message[] }>(
      `/api/conversations/${answered.id}/messages`,
      agentToken,
    )
    const written = history.body.messages.filter((message) => message.kind === 'text')
    const asked = written.find((message) => message.authorRole === 'customer')
    const replied = written.find((message) => message.authorRole === 'agent')
    expect(asked && replied).toBeTruthy()
    const firstResponseMs = (replied?.createdAt ?? 0) - (asked?.createdAt ?? 0)
    expect(firstResponseMs).toBeGreaterThanOrEqual(100)

    const report = await server.get<{
      conversations: number
      overall: Record<string, Figure>
      byTeam: Record<string, Record<string, Figure>>
      byAgent: Record<string, Record<string, Figure>>
    }>('/api/quality', lead)
    expect(report.status).toBe(200)
    expect(report.body.conversations).toBe(1)
    expect(report.body.overall.frt).toEqual({ value: firstResponseMs, count: 1 })
    expect(report.body.overall.fcr).toEqual({ value: 1, count: 1 })
    expect(report.body.overall.serviceLevel).toEqual({ value: 1, count: 1 })
    expect(report.body.overall.transfer).toEqual({ value: 0, count: 1 })
    expect(report.body.byTeam.general?.frt?.count).toBe(1)
    expect(report.body.byAgent['s_quality-agent']?.frt).toEqual({ value: firstResponseMs, count: 1 })

    // A customer who gives up while nobody is available counts as abandoned, and not served in time.
    agent.send({ t: 'agent.status', status: 'away' })
    // Away is taken as the frame is read: answered after it, the ping shows it was.
    await agent.roundTrip()
    const waiting = await server.connect(await server.customerToken({ userId: 'quality-2' }))
    const queued = await waiting.openConversation()
    expect(queued.state).toBe('queued')
    waiting.send({ t: 'conversation.resolve', conversationId: queued.id })
    await waiting.waitFor('conversation.abandoned')
    const after = await server.get<{ overall: Record<string, Figure> }>('/api/quality', lead)
    expect(after.body.overall.abandonment).toEqual({ value: 0.5, count: 2 })
    expect(after.body.overall.serviceLevel).toEqual({ value: 0.5, count: 2 })
    // Only the answered one has a first response: the abandoned one does not dilute it.
    expect(after.body.overall.frt?.count).toBe(1)

    // Agents, and supervisors of other teams, read none of it.
    expect((await server.get<{ code: string }>('/api/quality', agentToken)).body.code).toBe('forbidden')
    const other = await server.agentToken('premium-quality-lead', ['premium'], 0, 'supervisor')
    expect((await server.get<{ code: string }>('/api/quality?team=general', other)).body.code).toBe(
      'forbidden',
    )
    expect((await server.get<{ code: string }>('/api/quality?source=guess', lead)).body.code).toBe(
      'bad_request',
    )
    await Promise.all([agent.close(), customer.close(), waiting.close()])
  })
  it('forecasts staffing from the team’s history: arrivals per half hour, Erlang C, the shift plan', async () => {
    const lead = await server.agentToken('staffing-lead', ['general'], 0, 'supervisor')
    const before = await server.get<{ arrivals: number[] }>(
      '/api/staffing?team=general&days=1&ahtS=180',
      lead,
    )
    expect(before.status).toBe(200)
    const customer = await server.connect(await server.customerToken({ userId: 'staffing-1' }))
    const opened = new Date((await customer.openConversation()).createdAt)
    // The half hour of the server's local day it arrived in (this test runs the server in-process).
    const slot = Math.floor((opened.getHours() * 60 + opened.getMinutes()) / 30)
    const report = await server.get<{
      arrivals: number[]
      intervals: { scheduled: number; onPhones: number }[]
      plan: { covered: number[] }
    }>('/api/staffing?team=general&days=1&ahtS=180', lead)
    expect(report.body.arrivals).toHaveLength(48)
    expect(report.body.arrivals[slot]).toBe((before.body.arrivals[slot] ?? 0) + 1)
    const expected = agentsNeeded({
      arrivals: report.body.arrivals[slot] ?? 0,
      intervalS: 1800,
      ahtS: 180,
      target: { share: 0.8, withinS: 20 },
      maxOccupancy: 0.85,
      shrinkage: 0.3,
    })
    expect(report.body.intervals[slot]).toMatchObject({
      onPhones: expected.onPhones,
      scheduled: expected.scheduled,
    })
    expect(report.body.plan.covered[slot]).toBeGreaterThanOrEqual(expected.scheduled)
    const csv = await fetch(`${server.url}/api/staffing?team=general&days=1&ahtS=180&format=csv`, {
      headers: { authorization: `Bearer ${lead}` },
    })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect((await csv.text()).split('\n')).toHaveLength(49)
    await customer.close()
  })
})

describe('the quality figures on /metrics, and the Grafana dashboard for them', () => {
  it('exports each team’s last hour as /api/quality computes it, and the dashboard asks for what is exported', async () => {
    const lead = await server.agentToken('metrics-lead', ['general'], 0, 'supervisor')
    const report = await server.get<{ byTeam: Record<string, Record<string, Figure>> }>(
      '/api/quality?team=general',
      lead,
    )
    const general = report.body.byTeam.general
    expect(general?.frt?.count).toBeGreaterThan(0)
    const scrape = await (await fetch(`${server.url}/metrics`)).text()
    const exported = (figure: string) => {
      const line = scrape
        .split('\n')
        .find((row) => row.startsWith(`kefu_quality_last_hour{team="general",figure="${figure}"}`))
      return line === undefined ? undefined : Number(line.split(' ').at(-1))
    }
    expect(exported('frt_seconds')).toBeCloseTo((general?.frt?.value ?? 0) / 1000, 6)
    expect(exported('abandonment_ratio')).toBeCloseTo(general?.abandonment?.value ?? -1, 6)
    expect(scrape).toMatch(/kefu_quality_last_hour_count\{team="general",figure="frt_seconds"\} [1-9]/)

    const dashboard = JSON.parse(
      readFileSync(
        join(dirname(fileURLToPath(import.meta.url)), '../../ops/grafana/kefu-quality.json'),
        'utf8',
      ),
    ) as { panels: { targets: { expr: string }[] }[] }
    const asked = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))
    for (const expr of asked) {
      const metric = /kefu_[a-z_]+/.exec(expr)?.[0]?.replace(/_bucket$/, '')
      expect(metric && scrape.includes(`# TYPE ${metric} `), expr).toBe(true)
      const figure = /figure="([a-z_]+)"/.exec(expr)?.[1]
      if (figure) expect(scrape.includes(`figure="${figure}"`), expr).toBe(true)
    }
  })
})
