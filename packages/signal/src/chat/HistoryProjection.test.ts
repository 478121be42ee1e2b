import {
  asClientMessageId,
  asConversationId,
  asTeamId,
  asUserId,
  type Conversation,
  type ConversationEvent,
} from '@kefu/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Repository } from '../store/Repository'
import { newConversation } from '../store/repositoryContract'
import { openSqliteRepository } from '../store/sqliteRepository'
import { HistoryProjection } from './HistoryProjection'

const id = asConversationId('c1')
let repo: Repository
let cids = 0

async function append(
  author: 'customer' | 'system',
  body: string | ConversationEvent,
): Promise<Conversation> {
  const isEvent = typeof body !== 'string'
  await repo.appendMessage({
    conversationId: id,
    cid: asClientMessageId(`m${++cids}`),
    authorId: asUserId(author === 'customer' ? 'ada' : 'system'),
    authorRole: author,
    kind: isEvent ? 'event' : 'text',
    body: isEvent ? JSON.stringify(body) : body,
    createdAt: 1000 + cids,
  })
  return (await repo.getConversation(id)) as Conversation
}

describe('the history projection', () => {
  beforeEach(async () => {
    repo = openSqliteRepository(':memory:')
    await repo.upsertTeam({ id: asTeamId('general'), name: 'General', answerTargetMs: 60_000 })
    await repo.createConversation(newConversation(id, 'ada'))
  })
  afterEach(() => repo.close())

  it('folds the assistant’s hold, its answer, an offer and its reply, anger, rating and banners', async () => {
    await append('system', { event: 'bot.engaged', teamId: asTeamId('general') })
    await append('system', { event: 'proactive.offered', ruleId: 'cart', quickReplies: ['好', '不用'] })
    const reply = await append('customer', '好的')
    const facts = await new HistoryProjection(repo).of(reply)
    expect(facts).toMatchObject({ botHold: { answered: false }, offer: { answeredBySeq: reply.lastSeq } })
    await append('system', {
      event: 'bot.answered',
      entryId: 'refund',
      confidence: 0.9,
      quickReplies: ['有用'],
    })
    await append('system', { event: 'emotion.flagged', emotion: 'anger', intensity: 0.9, priority: 10 })
    await append('system', {
      event: 'playbook.said',
      playbookId: 'outage',
      activationId: 'pa1',
      said: 'banner',
    })
    await append('customer', 'second words')
    const later = await append('system', { event: 'queued', teamId: asTeamId('general') })
    expect(await new HistoryProjection(repo).of(later)).toMatchObject({
      throughSeq: later.lastSeq,
      botHold: undefined,
      awaitingFeedbackOn: 'refund',
      offer: undefined,
      angerFlagged: true,
      bannersTold: ['pa1'],
      lastCustomerText: 'second words',
    })
  })

  it('kept current by what it is told, it reads nothing; behind the conversation, it reads only what it missed', async () => {
    const reads: number[] = []
    const counting = {
      listMessagesAfter: (...args: Parameters<Repository['listMessagesAfter']>) => {
        reads.push(args[1])
        return repo.listMessagesAfter(...args)
      },
    }
    const watched = new HistoryProjection(counting)
    const first = await append('system', { event: 'bot.engaged', teamId: asTeamId('general') })
    expect((await watched.of(first)).botHold).toEqual({ answered: false })
    // What this node writes is applied as it is stored (the writer's part), so reading it costs nothing.
    const rated = await append('system', { event: 'rated', score: 4 })
    const [stored] = await repo.listMessagesAfter(id, first.lastSeq, 1)
    if (stored) watched.apply(stored)
    expect((await watched.of(rated)).rated).toBe(true)
    expect(reads).toEqual([0])
    // Another node wrote since: only the messages after what it knows are read.
    const elsewhere = await append('system', { event: 'hall.entered' })
    expect((await watched.of(elsewhere)).hallEntered).toBe(true)
    expect(reads).toEqual([0, rated.lastSeq])
    expect(await new HistoryProjection(repo).of(elsewhere)).toEqual(await watched.of(elsewhere))
  })
})
