import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ConversationEvent } from '../domain/events'
import type { Message } from '../domain/message'
import { asClientMessageId, asConversationId, asUserId } from '../ids'
import { conversationFacts } from './conversationFacts'
import { emptyFigures, figuresOf, meanOf, mergeFigures } from './qualityFigures'

const S = 1000
const DAY = 24 * 3600 * S
const TARGET = 20 * S

type Step =
  | [at: number, event: ConversationEvent]
  | [at: number, role: 'customer' | 'agent' | 'system', author: string, kind?: 'text' | 'voice' | 'system']

/** A conversation's stored history, from when each thing happened (ms after it opened). */
function history(...steps: Step[]): Message[] {
  return steps.map((step, index) => {
    const base = {
      conversationId: asConversationId('c1'),
      seq: index + 1,
      cid: asClientMessageId(`m${index}`),
      createdAt: step[0],
    }
    if (typeof step[1] === 'object')
      return {
        ...base,
        authorId: asUserId('system'),
        authorRole: 'system',
        kind: 'event',
        body: JSON.stringify(step[1]),
      }
    const [, role, author, kind = role === 'system' ? 'system' : 'text'] = step
    return { ...base, authorId: asUserId(author), authorRole: role, kind, body: 'hi' }
  })
}

const opened = (at = 0): Step[] => [
  [at, { event: 'created', channel: 'web', delivery: 'kefu' }],
  [at, { event: 'queued', teamId: 'general' as never }],
]
const assigned = (at: number, agentId: string): Step => [
  at,
  { event: 'assigned', agentId: asUserId(agentId), agentName: agentId },
]
const resolved = (at: number): Step => [at, { event: 'resolved', by: asUserId('a1') }]

const figures = (...steps: Step[]) => {
  const facts = conversationFacts(history(...steps))
  if (!facts) throw new Error('no history')
  return figuresOf(facts, TARGET)
}

describe('the quality metrics of one conversation (hand-computed)', () => {
  it('measures a plain conversation: wait, first response, handling, resolution', () => {
    const f = figures(
      ...opened(),
      [1 * S, 'customer', 'u1'],
      assigned(5 * S, 'a1'),
      [12 * S, 'agent', 'a1'],
      resolved(65 * S),
    )
    expect(f.asa).toEqual({ sum: 5 * S, count: 1 })
    expect(f.frt).toEqual({ sum: 11 * S, count: 1 })
    expect(f.aht).toEqual({ sum: 60 * S, count: 1 })
    expect(f.ttr).toEqual({ sum: 65 * S, count: 1 })
    expect(f.fcr).toEqual({ sum: 1, count: 1 })
    expect(f.serviceLevel).toEqual({ sum: 1, count: 1 })
    expect(f.transfer).toEqual({ sum: 0, count: 1 })
  })

  it('never counts system messages or automatic greetings as a first response', () => {
    const f = figures(
      ...opened(),
      [1 * S, 'customer', 'u1'],
      [2 * S, 'system', 'system'],
      assigned(3 * S, 'a1'),
    )
    expect(f.frt.count).toBe(0)
    expect(meanOf(f.frt)).toBeUndefined()
  })

  it('credits the first response after a transfer to the agent who wrote it', () => {
    const steps: Step[] = [
      ...opened(),
      [1 * S, 'customer', 'u1'],
      assigned(2 * S, 'a1'),
      [30 * S, { event: 'transferred', fromAgentId: asUserId('a1'), toAgentId: asUserId('a2') }],
      [40 * S, 'agent', 'a2'],
      resolved(100 * S),
    ]
    const facts = conversationFacts(history(...steps))
    expect(facts?.firstResponse).toEqual({ at: 40 * S, agentId: 'a2' })
    if (!facts) return
    expect(figuresOf(facts, TARGET, { agentId: 'a1' })).toMatchObject({
      frt: { count: 0 },
      aht: { sum: 28 * S },
    })
    expect(figuresOf(facts, TARGET, { agentId: 'a2' })).toMatchObject({
      frt: { sum: 39 * S },
      aht: { sum: 70 * S },
    })
    expect(figuresOf(facts, TARGET).transfer).toEqual({ sum: 1, count: 1 })
  })

  it('counts a reopen on day 6 against first-contact resolution, and one on day 8 not', () => {
    const reopenedOn = (day: number) =>
      figures(
        ...opened(),
        [1 * S, 'customer', 'u1'],
        assigned(2 * S, 'a1'),
        [3 * S, 'agent', 'a1'],
        resolved(10 * S),
        [10 * S + day * DAY, { event: 'reopened' }],
        [10 * S + day * DAY, { event: 'queued', teamId: 'general' as never }],
        assigned(11 * S + day * DAY, 'a1'),
        resolved(20 * S + day * DAY),
      )
    expect(reopenedOn(6).fcr).toEqual({ sum: 0, count: 1 })
    expect(reopenedOn(8).fcr).toEqual({ sum: 1, count: 1 })
    // The first response's clock is not restarted by the reopen, nor the queue wait's.
    expect(reopenedOn(6).frt).toEqual({ sum: 2 * S, count: 1 })
    expect(reopenedOn(6).asa).toEqual({ sum: 2 * S, count: 1 })
    // Resolution spans the whole contact, to its last resolution.
    expect(reopenedOn(6).ttr.sum).toBe(20 * S + 6 * DAY)
  })

  it('counts a customer who left the queue as abandoned and not served in time', () => {
    const f = figures(
      ...opened(),
      [1 * S, 'customer', 'u1'],
      [90 * S, { event: 'abandoned', by: asUserId('u1') }],
    )
    expect(f.abandonment).toEqual({ sum: 1, count: 1 })
    expect(f.serviceLevel).toEqual({ sum: 0, count: 1 })
    expect(f.asa.count).toBe(0)
    expect(f.ttr.count).toBe(0)
  })

  it('handles a voice-only conversation: no written response, its call inside the handling', () => {
    const steps: Step[] = [
      ...opened(),
      assigned(4 * S, 'a1'),
      [5 * S, { event: 'voice.requested' }],
      [6 * S, { event: 'voice.joined', identity: 'a1' }],
      [186 * S, { event: 'voice.left', identity: 'a1' }],
      resolved(200 * S),
    ]
    const facts = conversationFacts(history(...steps))
    expect(facts?.hadVoice).toBe(true)
    const f = figures(...steps)
    expect(f.frt.count).toBe(0)
    expect(f.aht).toEqual({ sum: 196 * S, count: 1 })
    expect(f.serviceLevel).toEqual({ sum: 1, count: 1 })
  })

  it('weights a slice by volume when merging, never averaging averages', () => {
    const quick = figures(...opened(), [0, 'customer', 'u1'], assigned(1 * S, 'a1'), [2 * S, 'agent', 'a1'])
    const slow = figures(...opened(), [0, 'customer', 'u1'], assigned(1 * S, 'a1'), [61 * S, 'agent', 'a1'])
    const team = [quick, quick, quick, slow].reduce(mergeFigures, emptyFigures())
    // (2 + 2 + 2 + 61) / 4 s, not the mean of two per-group means.
    expect(meanOf(team.frt)).toBe((67 * S) / 4)
  })

  it('adds up the same in any order: figures merged one by one equal those of the whole', () => {
    const oneConversation = fc.record({
      wrote: fc.boolean(),
      waitS: fc.integer({ min: 0, max: 120 }),
      replyS: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      resolves: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(oneConversation, { maxLength: 30 }), (conversations) => {
        const each = conversations.map(({ wrote, waitS, replyS, resolves }) =>
          figures(
            ...opened(),
            ...(wrote ? [[0, 'customer', 'u1'] as Step] : []),
            assigned(waitS * S, 'a1'),
            ...(replyS === undefined ? [] : [[(waitS + replyS) * S, 'agent', 'a1'] as Step]),
            ...(resolves ? [resolved((waitS + 400) * S)] : []),
          ),
        )
        const forwards = each.reduce(mergeFigures, emptyFigures())
        const backwards = [...each].reverse().reduce(mergeFigures, emptyFigures())
        expect(backwards).toEqual(forwards)
        expect(forwards.asa.count).toBe(conversations.length)
        expect(forwards.frt.count).toBe(conversations.filter((c) => c.wrote && c.replyS !== undefined).length)
      }),
      { numRuns: 100, seed: 17 },
    )
  })
})
