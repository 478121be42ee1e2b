import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConversationLog, type Message } from '@kefu/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnServer } from '../helpers/spawnedServer'
import { TestClient } from '../helpers/TestClient'

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-crash-'))
let child: ChildProcess | undefined
afterAll(() => {
  child?.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

async function post(port: number, path: string, body: unknown): Promise<{ token: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return (await response.json()) as { token: string }
}

async function connect(port: number, token: string, deviceId: string): Promise<TestClient> {
  const client = await TestClient.open(`ws://127.0.0.1:${port}/ws?token=${token}`)
  await client.hello(deviceId)
  return client
}

const live = (client: TestClient): Message[] =>
  client.frames.flatMap((f) => (f.t === 'message.new' ? [f.message] : []))

describe('the server killed mid-conversation', () => {
  it('restarts on the same database and every client resumes with nothing lost', async () => {
    const first = await spawnServer(dataDir, 0, { AGENT_GRACE_MS: '60000' })
    child = first.process
    const port = first.port
    const customerToken = (await post(port, '/api/customer/session', { guestName: 'Crash' })).token
    const agentToken = (await post(port, '/api/agent/login', { login: 'alice', password: 'kefu-demo' })).token
    let agent = await connect(port, agentToken, 'agent-desk')
    let customer = await connect(port, customerToken, 'phone')
    const { epoch } = customer.welcome
    customer.send({ t: 'conversation.open', channel: 'web' })
    const conversationId = (await customer.waitFor('conversation.opened')).conversation.id
    await customer.waitFor('conversation.assigned')
    const customerLog = new ConversationLog()
    const agentLog = new ConversationLog()
    for (let i = 1; i <= 5; i++) {
      await customer.say(conversationId, `customer ${i}`, `cust-${i}`)
      await agent.say(conversationId, `agent ${i}`, `agent-${i}`)
    }
    await customer.waitFor('message.new', (frame) => frame.message.cid === 'agent-5')
    await agent.waitFor('message.new', (frame) => frame.message.cid === 'cust-5')
    customerLog.merge(live(customer))
    agentLog.merge(live(agent))
    // Sent, never acknowledged: the process dies with this frame on the wire.
    customer.send({ t: 'message.send', conversationId, cid: 'cust-inflight', body: 'did you get this?' })
    child.kill('SIGKILL')
    await Promise.all([customer.closed, agent.closed])

    // The restart is the bundle production runs: how long an outage a crash is, printed, not asserted.
    const restartedAt = performance.now()
    const second = await spawnServer(dataDir, port, { AGENT_GRACE_MS: '60000' }, 'built')
    expect((await fetch(`${second.url}/readyz`)).ok).toBe(true)
    console.log(
      `restart after SIGKILL: answering again after ${Math.round(performance.now() - restartedAt)} ms`,
    )
    child = second.process
    customer = await connect(port, customerToken, 'phone')
    agent = await connect(port, agentToken, 'agent-desk')
    expect(customer.welcome.epoch).toBe(epoch)
    await customer.say(conversationId, 'did you get this?', 'cust-inflight')
    await agent.say(conversationId, 'yes, after the restart', 'agent-after')

    for (const [client, log] of [
      [customer, customerLog],
      [agent, agentLog],
    ] as const) {
      client.send({ t: 'sync.request', conversationId, afterSeq: log.cursor, epoch })
      log.merge((await client.waitFor('sync.batch')).messages)
      log.merge(live(client))
    }
    const expected = [1, 2, 3, 4, 5].flatMap((i) => [`customer ${i}`, `agent ${i}`])
    expected.push('did you get this?', 'yes, after the restart')
    for (const log of [customerLog, agentLog]) {
      expect(
        log
          .messages()
          .filter((m) => m.kind === 'text')
          .map((m) => m.body),
      ).toEqual(expected)
      expect(log.unacknowledged()).toEqual([])
    }
    // The agent kept the conversation through the restart (grace period), so nobody was reshuffled.
    const welcome = agent.welcome
    expect(welcome.conversations.find((c) => c.id === conversationId)?.agentId).toBe('s_alice')
    await Promise.all([customer.close(), agent.close()])
  })
})
