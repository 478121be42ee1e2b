import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DashboardSnapshot } from '@kefu/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-live-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
const env = { QUALITY_SAMPLE_MS: '100' }

describe('the live figures across a restart', () => {
  it('reads every figure back: the ledger from the log, occupancy and delivery from their stored buckets', async () => {
    let server = await TestServer.start(env, dataDir)
    const lead = await server.agentToken('live-lead', ['general'], 0, 'supervisor')
    const agent = await server.connect(await server.agentToken('live-agent', ['general'], 3))
    const customer = await server.connect(await server.customerToken({ userId: 'live-customer' }))
    const conversation = await customer.openConversation()
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)
    await customer.say(conversation.id, '在吗')
    await agent.say(conversation.id, '在的')
    // A few samples with the agent busy, and some after everyone left.
    await server.jobRunsMore('quality-sample', 3)
    await Promise.all([agent.close(), customer.close()])
    await server.jobRunsMore('quality-sample', 2)
    const before = (await server.get<DashboardSnapshot>('/api/dashboard', lead)).body
    expect(before.tiles.delivery.now).toEqual({ value: 1, count: 2 })
    expect(before.tiles.occupancy.now.value).toBeGreaterThan(0)
    expect(before.tiles.frt.now.count).toBe(1)
    await server.stop()

    server = await TestServer.start(env, dataDir)
    const after = (await server.get<DashboardSnapshot>('/api/dashboard', lead)).body
    for (const figure of ['frt', 'asa', 'delivery', 'occupancy'] as const)
      expect(after.tiles[figure].now, figure).toEqual(before.tiles[figure].now)
    expect(after.deliveryLatency).toEqual(before.deliveryLatency)
    await server.stop()
  })
})
