import type { Alert, DashboardSnapshot } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeAll(async () => {
  server = await TestServer.start()
})
afterAll(async () => server?.stop())

describe('an angry customer in the real routing queue', () => {
  it('moves ahead of calmer customers who came first, and the supervisor is alerted once', async () => {
    const lead = await server.agentToken('emo-lead', ['general'], 0, 'supervisor')
    const calm = await server.connect(await server.customerToken({ userId: 'emo-calm' }))
    const calmConversation = await calm.openConversation()
    await calm.say(calmConversation.id, '请问什么时候发货')
    const angry = await server.connect(await server.customerToken({ userId: 'emo-angry' }))
    const angryConversation = await angry.openConversation()
    expect((await angry.waitFor('conversation.queued')).position).toBe(2)
    await angry.say(angryConversation.id, '等了一个星期还没发货 简直垃圾 气死我了！！')
    await angry.say(angryConversation.id, '垃圾服务 太离谱了')
    const moved = await angry.waitFor('conversation.queued', (frame) => frame.position === 1)
    expect(moved.conversation.priority).toBeGreaterThan(calmConversation.priority)
    // The first free agent takes the angry customer, though the calm one waited longer.
    const agent = await server.connect(await server.agentToken('emo-agent', ['general'], 1))
    const assigned = await agent.waitFor('conversation.assigned')
    expect(assigned.conversation.id).toBe(angryConversation.id)
    const alerts = await server.get<{ alerts: Alert[] }>('/api/alerts', lead)
    const aboutAnger = alerts.body.alerts.filter((alert) => alert.kind === 'emotion')
    expect(aboutAnger).toEqual([
      expect.objectContaining({ figure: 'anger', conversationId: angryConversation.id }),
    ])
    // The dashboard's emotion over time (hour-long steps): two of the three customer messages were angry.
    const { body: dashboard } = await server.get<DashboardSnapshot>('/api/dashboard?windowMs=86400000', lead)
    expect(dashboard.series.emotion.anger.at(-1)).toBeCloseTo(2 / 3)
    expect(dashboard.series.emotion.satisfaction.at(-1)).toBe(0)
    for (const client of [calm, angry, agent]) await client.close()
  })
})
