import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalPrometheus } from '../helpers/prometheus'
import { onCluster, sharedClusterEnv, TestServer } from '../helpers/testServer'

// Three nodes of one cluster scraped by a real Prometheus, as an operator runs it: every query of
// the shipped Grafana dashboard must find every node's series.

const METRICS_TOKEN = 'scrape-token-for-the-tests'
const dashboard = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../ops/grafana/kefu-quality.json'), 'utf8'),
) as { panels: { title: string; targets: { expr: string }[] }[] }

let nodes: TestServer[] = []
let prometheus: LocalPrometheus | undefined
const instances = () => nodes.map((node) => new URL(node.url).host).sort()

beforeAll(async () => {
  if (!onCluster) return
  const env = { ...sharedClusterEnv(), METRICS_TOKEN }
  for (const nodeId of ['prom-a', 'prom-b', 'prom-c'])
    nodes.push(await TestServer.start({ ...env, NODE_ID: nodeId }))
  prometheus = await LocalPrometheus.start(instances(), METRICS_TOKEN)
})
afterAll(async () => {
  await prometheus?.stop()
  for (const node of nodes.reverse()) await node.stop()
  nodes = []
})

describe.runIf(onCluster)('a cluster scraped by Prometheus', () => {
  it('answers every query of the Grafana dashboard with a series from each of the three nodes', async () => {
    const [nodeA, nodeB] = nodes as [TestServer, TestServer]
    // One conversation, the customer on one node and the agent on another: answered, resolved and
    // rated, so that every figure the dashboard draws has something to measure.
    const agent = await nodeB.connect(await nodeB.agentToken('prom-agent', ['general'], 3))
    const customer = await nodeA.connect(await nodeA.customerToken({ userId: 'prom-customer' }))
    const { id } = await customer.openConversation()
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === id)
    await customer.say(id, '我的订单还没到')
    await agent.say(id, '我来帮您查一下')
    agent.send({ t: 'conversation.resolve', conversationId: id })
    await customer.waitFor('conversation.resolved')
    customer.send({ t: 'conversation.rate', conversationId: id, score: 5 })
    await customer.waitFor('conversation.updated', (frame) => frame.conversation.id === id)

    const scraper = prometheus as LocalPrometheus
    await expect
      .poll(async () => Object.values(await scraper.targetHealth()), { timeout: 20_000 })
      .toEqual(['up', 'up', 'up'])
    const expressions = dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ panel: panel.title, expr: target.expr.replaceAll('$team', '.*') })),
    )
    expect(expressions.length).toBeGreaterThanOrEqual(12)
    const nodesAnswering = async (expr: string) =>
      [...new Set((await scraper.query(expr)).map((series) => series.metric.instance))].sort()
    for (const { panel, expr } of expressions)
      await expect
        .poll(() => nodesAnswering(expr), { message: `${panel}: ${expr}`, timeout: 30_000 })
        .toEqual(instances())
    await Promise.all([agent.close(), customer.close()])
  })
})
