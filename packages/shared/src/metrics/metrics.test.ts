import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ConversationEvent } from '../domain/events'
import type { Message } from '../domain/message'
import { asClientMessageId, asConversationId, asUserId } from '../ids'
import { conversationFacts } from './conversationFacts'
import { BUCKET_MS, QualityLedger, type SliceKey } from './QualityLedger'
import {
  addInto,
  emptyFigures,
  FIGURE_NAMES,
  figuresOf,
  meanOf,
  mergeFigures,
  type QualityFigures,
} from './qualityFigures'

const S = 1000
const DAY = 24 * 3600 * S
const TARGET = 20 * S

type Step =
  | [at: number, event: ConversationEvent]
  | [at: number, role: 'customer' | 'agent' | 'system', author: string, kind?: 'text' | 'voice' | 'system']

/** A conversation's stored history, from when each thing happened (ms after it opened). */
function history(...steps: Step[]): Message[] {
  return historyOf('c1', steps)
}

function historyOf(conversationId: string, steps: readonly Step[]): Message[] {
  return steps.map((step, index) => {
    const base = {
      conversationId: asConversationId(conversationId),
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

  it('counts a rating of 4 or 5 as satisfied, once per conversation, credited to the last handler', () => {
    const steps = (...scores: number[]): Step[] => [
      ...opened(),
      [1 * S, 'customer', 'u1'],
      assigned(2 * S, 'a1'),
      [3 * S, { event: 'transferred', fromAgentId: asUserId('a1'), toAgentId: asUserId('a2') }],
      [4 * S, 'agent', 'a2'],
      resolved(10 * S),
      ...scores.map((score, i): Step => [(11 + i) * S, { event: 'rated', score }]),
    ]
    expect(figures(...steps(4)).csat).toEqual({ sum: 1, count: 1 })
    expect(figures(...steps(3)).csat).toEqual({ sum: 0, count: 1 })
    // A second rating changes nothing: the first one stands.
    expect(figures(...steps(2, 5)).csat).toEqual({ sum: 0, count: 1 })
    expect(figures(...steps()).csat.count).toBe(0)
    const facts = conversationFacts(history(...steps(5)))
    if (!facts) throw new Error('no history')
    expect(figuresOf(facts, TARGET, { agentId: 'a1' }).csat.count).toBe(0)
    expect(figuresOf(facts, TARGET, { agentId: 'a2' }).csat).toEqual({ sum: 1, count: 1 })
  })

  it('counts a conversation closed without any agent as contained, with no first response', () => {
    // Only automatic messages before it closed (the greeting, later the bot's answers).
    const f = figures(
      ...opened(),
      [1 * S, 'customer', 'u1'],
      [1 * S, 'system', 'system'],
      [2 * S, 'system', 'system'],
      [30 * S, { event: 'resolved', by: asUserId('sup1'), code: 'answered' }],
      [31 * S, { event: 'rated', score: 5 }],
    )
    expect(f.containment).toEqual({ sum: 1, count: 1 })
    expect(f.frt.count).toBe(0)
    expect(f.aht.count).toBe(0)
    expect(f.csat).toEqual({ sum: 1, count: 1 })
    const handled = figures(...opened(), assigned(1 * S, 'a1'), resolved(9 * S))
    expect(handled.containment).toEqual({ sum: 0, count: 1 })
  })

  it('weights a slice by volume when merging, never averaging averages', () => {
    const quick = figures(...opened(), [0, 'customer', 'u1'], assigned(1 * S, 'a1'), [2 * S, 'agent', 'a1'])
    const slow = figures(...opened(), [0, 'customer', 'u1'], assigned(1 * S, 'a1'), [61 * S, 'agent', 'a1'])
    const team = [quick, quick, quick, slow].reduce(mergeFigures, emptyFigures())
    // (2 + 2 + 2 + 61) / 4 s, not the mean of two per-group means.
    expect(meanOf(team.frt)).toBe((67 * S) / 4)
  })

  it('adds and takes out every figure there is', () => {
    const ones = emptyFigures()
    for (const name of FIGURE_NAMES) ones[name] = { sum: 1, count: 1 }
    const twice = mergeFigures(ones, ones)
    for (const name of FIGURE_NAMES) expect(twice[name], name).toEqual({ sum: 2, count: 2 })
    addInto(twice, ones, -1)
    expect(twice).toEqual(ones)
    expect(Object.keys(emptyFigures()).sort()).toEqual([...FIGURE_NAMES].sort())
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

describe('the live figures (QualityLedger)', () => {
  const teams = ['general', 'premium'] as const
  const agents = ['a1', 'a2'] as const
  /** One random thing happening to a conversation, whatever its state: the fold must take anything. */
  type Happening = (at: number) => Step
  const said =
    (role: 'customer' | 'agent' | 'system', author: string): Happening =>
    (at) => [at, role, author]
  const event =
    (value: object): Happening =>
    (at) => [at, value as ConversationEvent]
  const anyStep: fc.Arbitrary<Happening> = fc.oneof(
    fc.constant(said('customer', 'u1')),
    fc.constantFrom(...agents).map((author) => said('agent', author)),
    fc.constant(said('system', 'system')),
    fc.constantFrom(...agents).map((agentId) => event({ event: 'assigned', agentId, agentName: agentId })),
    fc
      .constantFrom(...agents)
      .map((toAgentId) => event({ event: 'transferred', fromAgentId: null, toAgentId })),
    fc.constantFrom(...teams).map((toTeamId) => event({ event: 'transferred', fromAgentId: null, toTeamId })),
    fc.constantFrom(...teams).map((teamId) => event({ event: 'queued', teamId })),
    fc.constant(event({ event: 'requeued', fromAgentId: 'a1' })),
    fc.constant(event({ event: 'resolved', by: 'a1' })),
    fc.constant(event({ event: 'abandoned', by: 'u1' })),
    fc.constant(event({ event: 'reopened' })),
    fc.integer({ min: 1, max: 5 }).map((score) => event({ event: 'rated', score })),
    fc.constant(event({ event: 'voice.joined', identity: 'a1' })),
    fc.constant(event({ event: 'hall.entered' })),
  )
  const conversation = fc.record({
    openedAt: fc.integer({ min: 0, max: 6 * BUCKET_MS }),
    channel: fc.constantFrom('web', 'wechat', 'alipay'),
    team: fc.constantFrom(...teams),
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 * DAY }), anyStep), { maxLength: 12 }),
  })

  it('equals a recompute of every stored history, in every slice and window', () => {
    fc.assert(
      fc.property(fc.array(conversation, { minLength: 1, maxLength: 8 }), fc.integer(), (all, seed) => {
        const histories = all.map(({ openedAt, channel, team, steps }, index) => {
          const ordered = [...steps].sort((a, b) => a[0] - b[0])
          return historyOf(`c${index}`, [
            [openedAt, { event: 'created', channel, delivery: 'kefu' } as ConversationEvent],
            [openedAt, { event: 'queued', teamId: team } as ConversationEvent],
            ...ordered.map(([after, happening]) => happening(openedAt + after)),
          ])
        })
        const target = (teamId: string | undefined) => (teamId === 'premium' ? 15 * S : TARGET)
        const ledger = new QualityLedger({ serviceTargetMs: target })
        // Messages of different conversations arrive interleaved, each conversation's in order.
        const cursors = histories.map(() => 0)
        for (let left = histories.flat().length, turn = seed | 0; left > 0; ) {
          turn = (Math.imul(turn, 1103515245) + 12345) | 0
          const index = (turn >>> 16) % histories.length
          const next = histories[index]?.[cursors[index] ?? 0]
          if (!next) continue
          ledger.record(next)
          cursors[index] = (cursors[index] ?? 0) + 1
          left--
        }
        const recomputed = (slice: SliceKey, from: number, to: number): QualityFigures => {
          let total = emptyFigures()
          for (const stored of histories) {
            const facts = conversationFacts(stored)
            if (!facts) continue
            const bucket = Math.floor(facts.createdAt / BUCKET_MS) * BUCKET_MS
            if (bucket < Math.floor(from / BUCKET_MS) * BUCKET_MS || bucket >= to) continue
            const [dimension, value, agentInTeam] = slice.split(':')
            if (dimension === 'teamAgent') {
              const worked =
                facts.handling.some((span) => span.agentId === agentInTeam) ||
                facts.firstResponse?.agentId === agentInTeam
              if (facts.teamId !== value || !worked || agentInTeam === undefined) continue
              total = mergeFigures(total, figuresOf(facts, target(facts.teamId), { agentId: agentInTeam }))
              continue
            }
            const inSlice =
              slice === 'all' ||
              (dimension === 'team' && facts.teamId === value) ||
              (dimension === 'channel' &&
                (facts.channel === value ||
                  (value === 'voice' && facts.hadVoice) ||
                  (value === 'hall' && facts.hadHall))) ||
              (dimension === 'agent' &&
                (facts.handling.some((span) => span.agentId === value) ||
                  facts.firstResponse?.agentId === value))
            if (!inSlice) continue
            const whom = dimension === 'agent' && value !== undefined ? { agentId: value } : {}
            total = mergeFigures(total, figuresOf(facts, target(facts.teamId), whom))
          }
          return total
        }
        const slices: SliceKey[] = [
          'all',
          'team:general',
          'team:premium',
          'channel:wechat',
          'channel:voice',
          'channel:hall',
          'agent:a1',
          'agent:a2',
          'teamAgent:premium:a1',
        ]
        expect(ledger.count('all', 0, 7 * BUCKET_MS)).toBe(histories.length)
        for (const slice of slices)
          for (const [from, to] of [
            [0, 7 * BUCKET_MS],
            [BUCKET_MS, 3 * BUCKET_MS],
            [5 * BUCKET_MS, 6 * BUCKET_MS],
          ] as const)
            expect(ledger.figures(slice, from, to)).toEqual(recomputed(slice, from, to))
      }),
      { numRuns: 300, seed: 23 },
    )
  })

  it('ignores the later messages of a conversation it never saw begin, and forgets old ones', () => {
    const ledger = new QualityLedger({ serviceTargetMs: () => TARGET })
    const [, ...afterStart] = history(...opened(), [1 * S, 'customer', 'u1'], assigned(2 * S, 'a1'))
    for (const message of afterStart) ledger.record(message)
    expect(ledger.size).toBe(0)
    for (const message of history(...opened(), assigned(2 * S, 'a1'))) ledger.record(message)
    expect(ledger.figures('all', 0, BUCKET_MS).asa).toEqual({ sum: 2 * S, count: 1 })
    ledger.forget(BUCKET_MS)
    expect(ledger.size).toBe(0)
    expect(ledger.figures('all', 0, BUCKET_MS).asa.count).toBe(0)
  })
})
