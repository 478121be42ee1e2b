import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Message } from '../domain/message'
import { asClientMessageId, asConversationId, asUserId } from '../ids'
import { ConversationLog, type PendingMessage } from './ConversationLog'

const message = (seq: number): Message => ({
  conversationId: asConversationId('c1'),
  seq,
  cid: asClientMessageId(`m${seq}`),
  authorId: asUserId('u1'),
  authorRole: 'customer',
  kind: 'text',
  body: `hello ${seq}`,
  createdAt: seq,
})

describe('merging server messages', () => {
  it('shows each message once in seq order however the wire delivers them', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.array(fc.integer({ min: 1, max: count }), { maxLength: 80 }),
              fc.nat(),
            ),
          ),
        ([count, duplicates, seed]) => {
          const all = Array.from({ length: count }, (_, i) => message(i + 1))
          const deliveries = fc.sample(
            fc.shuffledSubarray([...all, ...duplicates.map(message)], {
              minLength: all.length + duplicates.length,
            }),
            { numRuns: 1, seed },
          )[0]!
          const log = new ConversationLog()
          for (const delivery of deliveries) log.merge([delivery])
          expect(log.messages().map((m) => m.seq)).toEqual(all.map((m) => m.seq))
          expect(log.cursor).toBe(count)
        },
      ),
    )
  })

  it('reports a gap so the device asks for what it missed', () => {
    const log = new ConversationLog()
    expect(log.merge([message(1), message(2)]).gapAfterSeq).toBeNull()
    expect(log.merge([message(5)]).gapAfterSeq).toBe(2)
    expect(log.merge([message(3), message(4)]).gapAfterSeq).toBeNull()
    expect(log.cursor).toBe(5)
  })

  it('reconciles the local echo with the server copy instead of doubling it', () => {
    const log = new ConversationLog()
    const { seq: _seq, ...rest } = message(1)
    const pending: PendingMessage = { ...rest, seq: null }
    log.addPending(pending)
    expect(log.unacknowledged()).toHaveLength(1)
    const outcome = log.merge([message(1)])
    expect(outcome.added).toBe(0)
    expect(log.messages()).toHaveLength(1)
    expect(log.unacknowledged()).toHaveLength(0)
    log.applyAck(pending.cid, 1, 1)
    expect(log.messages()).toHaveLength(1)
  })

  it('pages older history in below what it already has', () => {
    const log = new ConversationLog(50)
    log.merge([message(51), message(52)])
    expect(log.hasOlder).toBe(true)
    expect(log.oldestLoadedSeq).toBe(51)
    expect(log.mergeOlder([message(49), message(50), message(51)])).toBe(2)
    expect(log.oldestLoadedSeq).toBe(49)
    log.mergeOlder(Array.from({ length: 48 }, (_, i) => message(i + 1)))
    expect(log.hasOlder).toBe(false)
    expect(log.messages().map((m) => m.seq)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1))
    expect(log.cursor).toBe(52)
  })

  it('resumes from a cursor without wanting older messages', () => {
    const log = new ConversationLog(10)
    expect(log.merge([message(11)]).gapAfterSeq).toBeNull()
    expect(log.cursor).toBe(11)
  })
})
