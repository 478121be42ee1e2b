import { parseClientFrame } from '@kefu/shared'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'

const FRAME_TYPES = [
  'hello',
  'conversation.open',
  'message.send',
  'sync.request',
  'typing',
  'read',
  'conversation.transfer',
  'conversation.resolve',
  'ping',
  'nope',
]

/** Frames that look almost right: a real type with random or missing fields, or the wrong JSON shape. */
const malformedFrame = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc
      .record({ t: fc.constantFrom(...FRAME_TYPES) }, { requiredKeys: [] })
      .chain((base) =>
        fc
          .dictionary(
            fc.constantFrom('conversationId', 'cid', 'body', 'seq', 'afterSeq', 'v', 'kind', 'isTyping'),
            fc.jsonValue({ maxDepth: 1 }),
          )
          .map((extra) => ({ ...base, ...extra })),
      )
      .map((value) => JSON.stringify(value)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  )
  .filter((frame) => typeof frame !== 'string' || !parseClientFrame(frame).ok)

let server: TestServer
let customer: TestClient
let conversationId: string
beforeAll(async () => {
  server = await TestServer.start()
  customer = await server.connect(await server.guestToken())
  conversationId = (await customer.openConversation()).id
  for (const body of ['first', 'second', 'third']) await customer.say(conversationId, body)
})
afterAll(async () => {
  await customer.close()
  await server.stop()
})

describe('malformed frames', () => {
  it('answers each of 1,200 random malformed frames with an error and loses nothing', async () => {
    const before = await server.server.repo.listMessagesAfter(conversationId as never, 0, 100)
    const frames = fc.sample(malformedFrame, { numRuns: 1200, seed: 20261126 })
    let errors = 0
    for (const frame of frames) {
      const reply = customer.next()
      customer.sendRaw(frame)
      const answer = await reply
      expect(answer.t).toBe('error')
      errors++
    }
    expect(errors).toBe(1200)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(await server.server.repo.listMessagesAfter(conversationId as never, 0, 100)).toEqual(before)
    await customer.say(conversationId, 'still works')
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/kefu_frame_errors_total\{code="bad_frame"\} \d+/)
  })
})
