import { LocalPostgres, LocalRedis } from '@kefu/signal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { onCluster, TestServer } from '../helpers/testServer'

// A node of a cluster on a PostgreSQL and a Redis of this file's own, so they can be killed. While
// either is away the node says it is not ready and refuses sends retryably; once it is back, the
// same cid sent again is stored, once. (The client's outbox resends by itself: ChatSession's tests.)

let postgres: LocalPostgres
let redis: LocalRedis
let server: TestServer
let customer: TestClient
let conversationId: string
beforeAll(async () => {
  if (!onCluster) return
  ;[postgres, redis] = await Promise.all([LocalPostgres.start(), LocalRedis.start()])
  server = await TestServer.start({
    DATABASE_URL: await postgres.createDatabase('outage'),
    REDIS_URL: redis.url,
  })
  customer = await server.connect(await server.customerToken({ userId: 'outage-customer' }))
  conversationId = (await customer.openConversation()).id
})
afterAll(async () => {
  await customer?.close()
  await server?.stop()
  await redis?.stop()
  postgres?.stop()
})

async function readiness() {
  const response = await fetch(`${server.url}/readyz`)
  return { status: response.status, body: (await response.json()) as { ok?: boolean; code?: string } }
}

/** Sends `cid` and returns the server's answer to it: an ack's seq, or an error's code. */
async function send(cid: string, body: string): Promise<number | string> {
  const from = customer.frames.length
  customer.send({ t: 'message.send', conversationId, cid, body })
  const answer = () =>
    customer.frames
      .slice(from)
      .find((frame) => (frame.t === 'ack' && frame.cid === cid) || (frame.t === 'error' && frame.ref === cid))
  await expect.poll(answer).toBeDefined()
  const frame = answer()
  return frame?.t === 'ack' ? frame.seq : frame?.t === 'error' ? frame.code : 'none'
}

async function storedBodies(): Promise<string[]> {
  const messages = await server.server.repo.listMessagesAfter(conversationId as never, 0, 100)
  return messages.filter((message) => message.kind === 'text').map((message) => message.body)
}

describe.runIf(onCluster)('a node whose Redis or PostgreSQL goes away', () => {
  it('is not ready and refuses sends retryably while Redis is down, and takes the resend after', async () => {
    expect(await send('before-redis', 'before the outage')).toBeTypeOf('number')
    await redis.restart(async () => {
      await expect.poll(async () => (await readiness()).status).toBe(503)
      expect((await readiness()).body.code).toBe('unavailable')
      expect(await send('during-redis', 'typed while Redis was down')).toBe('unavailable')
    })
    await expect.poll(async () => (await readiness()).status, { timeout: 15_000 }).toBe(200)
    // What the cluster published while this node was cut off is lost: every device is told to sync.
    await customer.waitFor('sync.hint')
    expect(await send('during-redis', 'typed while Redis was down')).toBeTypeOf('number')
    expect(await send('during-redis', 'typed while Redis was down')).toBeTypeOf('number')
    expect(await storedBodies()).toEqual(['before the outage', 'typed while Redis was down'])
  })

  it('refuses sends retryably while PostgreSQL is down, without crashing, and takes the resend after', async () => {
    await postgres.restart(async () => {
      await expect.poll(async () => (await readiness()).status).toBe(503)
      expect(await send('during-postgres', 'typed while PostgreSQL was down')).toBe('unavailable')
    })
    await expect.poll(async () => (await readiness()).status, { timeout: 15_000 }).toBe(200)
    expect(await send('during-postgres', 'typed while PostgreSQL was down')).toBeTypeOf('number')
    expect(await storedBodies()).toEqual([
      'before the outage',
      'typed while Redis was down',
      'typed while PostgreSQL was down',
    ])
  })
})
