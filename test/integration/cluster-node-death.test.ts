import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConversationLog, type Message } from '@kefu/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnServer, tokenFrom } from '../helpers/spawnedServer'
import { TestClient } from '../helpers/TestClient'
import { onCluster, sharedClusterEnv } from '../helpers/testServer'

// Two nodes of a cluster as their own processes (the built server, as production runs it), one
// of them killed with SIGKILL while its customers are typing to an agent on the other. Its clients
// reconnect to the node that lives, as a load balancer would send them, and resume from their
// cursors. Only on the `cluster` project (PostgreSQL and Redis).
const CUSTOMERS = 4
const BEFORE_THE_KILL = 8
const AFTER_THE_KILL = 4

const folders: string[] = []
const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

async function startNode(env: Record<string, string>, nodeId: string) {
  const folder = mkdtempSync(join(tmpdir(), `kefu-node-${nodeId}-`))
  folders.push(folder)
  const node = await spawnServer(folder, 0, { ...env, NODE_ID: nodeId }, 'built')
  children.push(node.process)
  return node
}

async function connect(url: string, token: string, deviceId: string): Promise<TestClient> {
  const client = await TestClient.open(`${url.replace('http', 'ws')}/ws?token=${token}`)
  await client.hello(deviceId)
  return client
}

async function jobRuns(url: string, job: string): Promise<number> {
  const scrape = await (await fetch(`${url}/metrics`)).text()
  const line = scrape
    .split('\n')
    .find((row) => row.startsWith(`kefu_job_runs_total{job="${job}",outcome="ok"}`))
  return Number(line?.split(' ').at(-1) ?? 0)
}

const live = (client: TestClient): Message[] =>
  client.frames.flatMap((frame) => (frame.t === 'message.new' ? [frame.message] : []))

describe.runIf(onCluster)('a cluster node killed mid-conversation', () => {
  it('loses, repeats and reorders nothing acknowledged; its customers resume on the other node', async () => {
    const env = { ...sharedClusterEnv(), AGENT_GRACE_MS: '60000' }
    const dying = await startNode(env, 'dying')
    const living = await startNode(env, 'living')
    const agentToken = await tokenFrom(living.url, '/api/agent/login', {
      login: 'carol',
      password: 'kefu-demo',
    })
    const agent = await connect(living.url, agentToken, 'agent-desk')

    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, n) => {
        const token = await tokenFrom(dying.url, '/api/customer/session', { guestName: `Guest ${n}` })
        const client = await connect(dying.url, token, 'phone')
        client.send({ t: 'conversation.open', channel: 'web' })
        const conversationId = (await client.waitFor('conversation.opened')).conversation.id
        return { n, token, client, conversationId, acked: [] as string[], sent: 0 }
      }),
    )
    // In whatever order the nodes assigned them: the agent holds all four.
    const assignedToAgent = () =>
      new Set(
        agent.frames.flatMap((frame) => (frame.t === 'conversation.assigned' ? [frame.conversation.id] : [])),
      )
    await expect
      .poll(() => customers.every(({ conversationId }) => assignedToAgent().has(conversationId)))
      .toBe(true)
    // Carol's four seats are taken: one more customer of the dying node waits in line.
    const waitingToken = await tokenFrom(dying.url, '/api/customer/session', { guestName: 'Waiting' })
    let waiting = await connect(dying.url, waitingToken, 'phone')
    waiting.send({ t: 'conversation.open', channel: 'web' })
    const waitingId = (await waiting.waitFor('conversation.queued')).conversation.id

    // Every customer types without waiting for the others; the node dies once all have sent enough,
    // with each customer's next message already on the wire.
    const body = (n: number, i: number) => `customer ${n} message ${i}`
    await Promise.all(
      customers.map(async (customer) => {
        for (; customer.sent < BEFORE_THE_KILL; customer.sent++) {
          await customer.client.say(
            customer.conversationId,
            body(customer.n, customer.sent),
            `${customer.n}-${customer.sent}`,
          )
          customer.acked.push(body(customer.n, customer.sent))
        }
      }),
    )
    for (const customer of customers)
      customer.client.send({
        t: 'message.send',
        conversationId: customer.conversationId,
        cid: `${customer.n}-${customer.sent}`,
        body: body(customer.n, customer.sent),
      })
    const routingTicksBefore = await jobRuns(living.url, 'routing-tick')
    dying.process.kill('SIGKILL')
    await Promise.all([waiting, ...customers.map(({ client }) => client)].map((client) => client.closed))

    // Back through the node that lives: the unacknowledged message again under its cid, then more.
    for (const customer of customers) {
      customer.client = await connect(living.url, customer.token, 'phone')
      for (; customer.sent < BEFORE_THE_KILL + 1 + AFTER_THE_KILL; customer.sent++) {
        await customer.client.say(
          customer.conversationId,
          body(customer.n, customer.sent),
          `${customer.n}-${customer.sent}`,
        )
        customer.acked.push(body(customer.n, customer.sent))
      }
    }
    // The waiting customer kept their place: the first seat that frees is theirs.
    waiting = await connect(living.url, waitingToken, 'phone')
    expect(waiting.welcome.conversations.find((c) => c.id === waitingId)?.state).toBe('queued')
    agent.send({
      t: 'conversation.resolve',
      conversationId: customers[0]?.conversationId ?? '',
      code: 'answered',
    })
    await waiting.waitFor('conversation.assigned', (frame) => frame.conversation.id === waitingId)

    // The schedules the dead node may have held run on the living one.
    await expect
      .poll(() => jobRuns(living.url, 'routing-tick'), { timeout: 30_000 })
      .toBeGreaterThan(routingTicksBefore)

    let lost = 0
    let duplicated = 0
    let reordered = 0
    for (const customer of customers) {
      const log = new ConversationLog()
      log.merge(live(agent).filter((message) => message.conversationId === customer.conversationId))
      agent.send({ t: 'sync.request', conversationId: customer.conversationId, afterSeq: 0 })
      log.merge(
        (await agent.waitFor('sync.batch', (batch) => batch.conversationId === customer.conversationId))
          .messages,
      )
      const seen = log
        .messages()
        .filter((message) => message.authorRole === 'customer' && message.kind === 'text')
        .map((message) => message.body)
      lost += customer.acked.filter((text) => !seen.includes(text)).length
      duplicated += seen.length - new Set(seen).size
      const inAckOrder = seen.filter((text) => customer.acked.includes(text))
      reordered += inAckOrder.filter((text, index) => customer.acked[index] !== text).length
    }
    const acked = customers.reduce((sum, customer) => sum + customer.acked.length, 0)
    console.log(
      `node killed mid-conversation: ${acked} acknowledged, lost ${lost}, duplicated ${duplicated}, reordered ${reordered}`,
    )
    expect({ lost, duplicated, reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 })
    expect(acked).toBe(CUSTOMERS * (BEFORE_THE_KILL + 1 + AFTER_THE_KILL))
    await Promise.all(
      [agent, waiting, ...customers.map(({ client }) => client)].map((client) => client.close()),
    )
  }, 120_000)
})
