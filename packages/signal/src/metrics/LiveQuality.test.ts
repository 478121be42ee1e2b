import {
  asClientMessageId,
  asConversationId,
  asUserId,
  DEFAULT_ROUTING_CONFIG,
  type Message,
} from '@kefu/shared'
import { ManualClock, sampleConversation } from '@kefu/shared/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalRoutingState } from '../local/LocalRoutingState'
import { MemoryBus } from '../local/MemoryBus'
import type { Repository } from '../store/Repository'
import { openSqliteRepository } from '../store/sqliteRepository'
import { LiveQuality } from './LiveQuality'
import { QualityShare } from './QualityShare'

const HOUR = 3_600_000
const message = (seq: number, createdAt: number): Message => ({
  conversationId: asConversationId('c1'),
  seq,
  cid: asClientMessageId(`m${seq}`),
  authorId: asUserId('ada'),
  authorRole: 'customer',
  kind: 'text',
  body: 'hello',
  createdAt,
})

describe('the live figures, on a manual clock and SQLite in memory', () => {
  const stores: Repository[] = []
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
  })

  function nodeOn(repo: Repository, clock: ManualClock, share?: QualityShare) {
    return new LiveQuality({
      repo,
      router: new LocalRoutingState(DEFAULT_ROUTING_CONFIG),
      routing: DEFAULT_ROUTING_CONFIG,
      clock,
      share: share?.publish,
    })
  }

  it('counts on every node of a cluster what any of them saw: facts, stored figures and the queue', async () => {
    const repo = openSqliteRepository(':memory:')
    stores.push(repo)
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 9))
    const at = clock.now()
    const bus = new MemoryBus()
    const [sharesHere, sharesThere] = [new QualityShare(bus), new QualityShare(bus)]
    const [here, there] = [nodeOn(repo, clock, sharesHere), nodeOn(repo, clock, sharesThere)]
    await sharesHere.follow(here)
    await sharesThere.follow(there)
    const stored = (m: Message) => ({ conversation: sampleConversation(), message: m, emotion: undefined })
    here.record(stored(message(1, at)))
    // The agent's first response, written at the other node.
    there.record(stored({ ...message(2, at + 60_000), authorId: asUserId('alice'), authorRole: 'agent' }))
    for (const node of [here, there])
      expect(node.ledger.figures('all', at - HOUR, at + HOUR).frt).toEqual({ sum: 60_000, count: 1 })

    here.owed(message(2, at), 1)
    there.delivered(message(2, at))
    await here.flush()
    await there.flush()
    for (const node of [here, there])
      expect(node.delivery(at - HOUR, at + HOUR).rate).toEqual({ sum: 1, count: 1 })
    // What another node shared is that node's to store: the store holds each count once.
    await there.flush()
    expect((await repo.listLiveFigures(0)).map((row) => [row.figure, row.count]).sort()).toEqual([
      ['delivery.latency', 1],
      ['delivery.owed', 1],
    ])

    await here.sample(new Map())
    expect(there.latest()).toEqual(here.latest())
  })

  it('adds up what two nodes counted in one bucket, and a node started later reads the sum back', async () => {
    const repo = openSqliteRepository(':memory:')
    stores.push(repo)
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 9))
    const at = clock.now()
    const [first, second] = [nodeOn(repo, clock), nodeOn(repo, clock)]
    first.owed(message(1, at), 2)
    first.delivered(message(1, at))
    second.owed(message(2, at), 1)
    await first.save()
    await second.save()
    clock.advance(1000)
    first.delivered(message(2, at))
    await first.save()
    // Saved again with nothing new: nothing is added twice.
    await first.save()
    const later = nodeOn(repo, clock)
    await later.warm()
    const { rate, latency } = later.delivery(at - HOUR, at + HOUR)
    expect(rate).toEqual({ sum: 2, count: 3 })
    expect(latency).toEqual({ sum: 1000, count: 2 })
  })

  it('keeps what a failed save held for the next one', async () => {
    const repo = openSqliteRepository(':memory:')
    stores.push(repo)
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 9))
    let failNext = true
    const flaky: Repository = {
      ...repo,
      addLiveFigures: async (rows, forgetBefore) => {
        if (failNext) {
          failNext = false
          throw new Error('disk full')
        }
        await repo.addLiveFigures(rows, forgetBefore)
      },
    }
    const node = nodeOn(flaky, clock)
    node.owed(message(1, clock.now()), 4)
    await expect(node.save()).rejects.toThrow('disk full')
    node.owed(message(2, clock.now()), 1)
    await node.save()
    expect((await repo.listLiveFigures(0)).map((row) => [row.figure, row.sum, row.count])).toEqual([
      ['delivery.owed', 5, 5],
    ])
  })
})
