import {
  ConversationDetailReplySchema,
  HistoryPageReplySchema,
  MAX_MESSAGE_CHARS,
  ServerFrameSchema,
} from '@kefu/shared'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'

// Any UTF-16 unit (lone surrogates, controls, NUL) and the characters that have broken chat apps:
// emoji sequences, direction overrides and isolates, zero-width and byte-order marks.
const unit = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), weight: 3 },
  {
    arbitrary: fc.constantFrom('😀', '👨‍👩‍👧', '\u202e', '\u2066', '\u200b', '\ufeff', '\u0085', '客服'),
    weight: 1,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 1 }), weight: 2 },
)
// Whole code points and no NUL: the lone surrogates and NULs of `unit` would get nearly every long
// text refused (both are, by every store).
const wellFormedUnit = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 1 }).filter((char) => char !== '\u0000'),
  fc.constantFrom('😀', '\u202e', '\u200b', '\u0007'),
)
const text = (maxLength: number) => fc.string({ unit, maxLength })
const body = fc.oneof(
  { arbitrary: text(200), weight: 3 },
  // Around the limit, within a few units either way: what is accepted must still go out within it.
  {
    arbitrary: fc
      .tuple(fc.integer({ min: -8, max: 8 }), fc.string({ unit: wellFormedUnit, maxLength: 12 }))
      .map(([delta, tail]) => `${'长'.repeat(Math.max(0, MAX_MESSAGE_CHARS + delta - tail.length))}${tail}`),
    weight: 2,
  },
)

// Names mostly well-formed (a refused name stores nothing), sometimes anything at all.
const name = fc.oneof(
  {
    arbitrary: fc.string({
      unit: wellFormedUnit,
      maxLength: 100,
    }),
    weight: 4,
  },
  { arbitrary: text(120), weight: 1 },
)

let server: TestServer
let agent: TestClient
let supervisor: TestClient
let agentToken: string
beforeAll(async () => {
  server = await TestServer.start()
  agentToken = await server.agentToken('prop-agent', ['general'], 1000)
  agent = await server.connect(agentToken)
  supervisor = await server.connect(await server.agentToken('prop-lead', ['general'], 0, 'supervisor'))
})
afterAll(async () => {
  await Promise.all([agent.close(), supervisor.close()])
  await server.stop()
})

const unreadable = (frames: readonly unknown[]) =>
  frames.filter((frame) => !ServerFrameSchema.safeParse(frame).success)

describe('whatever the server accepts, it can send', () => {
  it('emits only frames and answers the client schemas read, for any name and any message', async () => {
    let run = 0
    let stored = 0
    await fc.assert(
      fc.asyncProperty(name, fc.array(body, { minLength: 1, maxLength: 3 }), async (guestName, bodies) => {
        run++
        // Only this run's frames count, so a failure shrinks to the input that caused it.
        const staffSeen = [agent.frames.length, supervisor.frames.length] as const
        const session = await server.post<{ token: string }>('/api/customer/session', { guestName })
        if (session.status !== 200) return // refused at the door: nothing stored to re-emit
        stored++
        const customer = await server.connect(session.body.token, `prop-${run}`)
        const conversation = await customer.openConversation()
        await customer.waitFor('conversation.assigned')
        for (const [index, text] of bodies.entries()) {
          const cid = `p${run}-${index}`
          customer.send({ t: 'message.send', conversationId: conversation.id, cid, body: text })
          await Promise.race([
            customer.waitFor('ack', (ack) => ack.cid === cid),
            customer.waitFor('error', (error) => error.ref === cid),
          ])
        }
        // A second device reads it all back from storage, as a phone would after a reload.
        const phone = await server.connect(session.body.token, `prop-phone-${run}`)
        phone.send({ t: 'sync.request', conversationId: conversation.id, afterSeq: 0 })
        await phone.waitFor('sync.batch')
        const history = await server.get(`/api/conversations/${conversation.id}/messages`, agentToken)
        const detail = await server.get(`/api/conversations/${conversation.id}`, agentToken)
        customer.send({ t: 'conversation.resolve', conversationId: conversation.id })
        await customer.waitFor('conversation.resolved')
        await Promise.all([customer.close(), phone.close()])

        expect(HistoryPageReplySchema.safeParse(history.body).success).toBe(true)
        expect(ConversationDetailReplySchema.safeParse(detail.body).success).toBe(true)
        expect(unreadable(customer.frames)).toEqual([])
        expect(unreadable(phone.frames)).toEqual([])
        expect(unreadable(agent.frames.slice(staffSeen[0]))).toEqual([])
        expect(unreadable(supervisor.frames.slice(staffSeen[1]))).toEqual([])
      }),
      { numRuns: 25, seed: Number(process.env.FC_SEED ?? Date.now() % 1_000_000) },
    )
    // Most names are accepted, so most runs reach storage and back.
    expect(stored).toBeGreaterThan(12)
  }, 120_000)
})
