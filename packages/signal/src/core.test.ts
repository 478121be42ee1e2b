import { asClientMessageId, asUserId, type Conversation } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import type { Session } from './auth/sessionTokens'
import { HallVisits } from './hall/HallVisits'
import type { Repository } from './store/Repository'
import { alice, coreOn, customer, GRACE_MS, general, storesClosedAfterEach } from './testing/inProcessCore'

const eventsOf = async (repo: Repository, conversation: Conversation) =>
  (await repo.listMessagesAfter(conversation.id, 0, 100))
    .filter((message) => message.kind === 'event')
    .map((message) => JSON.parse(message.body).event)

describe('the chat core, in process', () => {
  const store = storesClosedAfterEach()

  it('opens, queues, assigns when an agent comes online, and turns active on the first reply', async () => {
    const repo = await store()
    const { core, seen } = await coreOn(repo)
    const opened = await core.lifecycle.open(customer('ada'), 'web')
    expect(opened.state).toBe('queued')
    await core.desk.online(alice)
    const assigned = await repo.getConversation(opened.id)
    expect(assigned).toMatchObject({ state: 'assigned', agentId: alice.userId })
    await core.messaging.send(alice, {
      conversationId: opened.id,
      cid: asClientMessageId('r1'),
      kind: 'text',
      body: '您好',
    })
    expect((await repo.getConversation(opened.id))?.state).toBe('active')
    // Put in line while it is created, then announced; the first reply makes it active before it fans out.
    expect(seen.filter((frame) => !frame.startsWith('event:'))).toEqual([
      'conversation.queued',
      'conversation.opened',
      'conversation.assigned',
      'conversation.updated',
      'text:您好',
    ])
  })

  it('a customer leaving the queue abandons; one the assistant answered leaves served', async () => {
    const repo = await store()
    const { core } = await coreOn(repo, { botFirst: true })
    const waiting = await core.lifecycle.open(customer('bo'), 'web')
    expect(await core.hold.holds(waiting)).toBe(true)
    const handed = await core.hold.handOff(waiting.id, 'asked_for_human')
    expect(await core.hold.holds(handed)).toBe(false)
    expect((await core.lifecycle.resolve(customer('bo'), waiting.id)).state).toBe('abandoned')

    const served = await core.lifecycle.open(customer('cy'), 'web')
    await core.conversations.withConversation(served.id, (current) =>
      core.writer.writeEvent(current, {
        event: 'bot.answered',
        entryId: 'refund',
        confidence: 0.9,
        quickReplies: [],
      }),
    )
    expect((await core.lifecycle.resolve(customer('cy'), served.id)).state).toBe('resolved')
  })

  it('after a restart, the assistant still holds what it held and the queue keeps its order', async () => {
    const repo = await store()
    const first = await coreOn(repo, { botFirst: true })
    const held = await first.core.lifecycle.open(customer('ada'), 'web')
    const second = await coreOn(repo)
    expect(await second.core.hold.holds((await repo.getConversation(held.id)) as Conversation)).toBe(true)
    expect(await second.ports.router.orderedQueue()).toEqual([])
    await second.core.hold.handOff(held.id, 'asked_for_human')
    expect((await second.ports.router.orderedQueue()).map((entry) => entry.conversationId)).toEqual([held.id])
  })

  it('keeps one rating per conversation, however often it is sent', async () => {
    const repo = await store()
    const { core } = await coreOn(repo)
    const opened = await core.lifecycle.open(customer('ada'), 'web')
    await core.desk.online(alice)
    await core.lifecycle.resolve(alice, opened.id, 'answered')
    const rating = { conversationId: opened.id, score: 5 }
    await core.lifecycle.rate(customer('ada'), rating)
    await core.lifecycle.rate(customer('ada'), rating)
    const events = await eventsOf(repo, opened)
    expect(events.filter((event) => event === 'rated')).toHaveLength(1)
  })

  it('records a customer’s steps into the hall once per open spell of their conversation', async () => {
    const repo = await store()
    const { core } = await coreOn(repo)
    const visits = new HallVisits({ repo, ...core })
    const opened = await core.lifecycle.open(customer('ada'), 'web')
    await visits.recordHallVisit(customer('ada'))
    await visits.recordHallVisit(customer('ada'))
    await visits.recordHallVisit(alice)
    await core.desk.online(alice)
    await core.lifecycle.resolve(alice, opened.id)
    await core.lifecycle.reopen(customer('ada'), opened.id)
    await visits.recordHallVisit(customer('ada'))
    const events = await eventsOf(repo, opened)
    expect(events.filter((event) => event === 'hall.entered')).toHaveLength(2)
  })

  it('gives an agent gone for good past their grace period’s end nothing more, and re-queues what they held', async () => {
    const repo = await store()
    const { core, clock, ports } = await coreOn(repo)
    const opened = await core.lifecycle.open(customer('ada'), 'web')
    await core.desk.online(alice)
    await core.desk.offline(alice)
    await clock.advanceAndSettle(GRACE_MS - 1)
    expect((await repo.getConversation(opened.id))?.agentId).toBe(alice.userId)
    await clock.advanceAndSettle(1)
    expect(await repo.getConversation(opened.id)).toMatchObject({ state: 'queued', agentId: null })
    expect(await ports.router.load(alice.userId)).toBe(0)
  })

  it('an agent back within the grace period keeps their conversation', async () => {
    const repo = await store()
    const { core, clock } = await coreOn(repo)
    const opened = await core.lifecycle.open(customer('ada'), 'web')
    await core.desk.online(alice)
    await core.desk.offline(alice)
    await clock.advanceAndSettle(GRACE_MS / 2)
    await core.desk.online(alice)
    await clock.advanceAndSettle(GRACE_MS)
    expect((await repo.getConversation(opened.id))?.agentId).toBe(alice.userId)
  })

  it('a direct transfer to an agent at capacity is refused and changes nothing', async () => {
    const repo = await store()
    const { core } = await coreOn(repo)
    await repo.createStaff({
      id: asUserId('bob'),
      login: 'bob',
      displayName: 'Bob',
      role: 'agent',
      passwordHash: 'x',
      capacity: 1,
      teams: [general],
    })
    const bob: Session = { ...alice, userId: asUserId('bob'), displayName: 'Bob' }
    const first = await core.lifecycle.open(customer('ada'), 'web')
    await core.desk.online(alice)
    const second = await core.lifecycle.open(customer('bo'), 'web')
    await core.desk.online(bob)
    const bobs = await repo.getConversation(second.id)
    expect(bobs?.agentId).toBe(bob.userId)
    await expect(
      core.transfers.transfer(alice, { conversationId: first.id, toAgentId: bob.userId }),
    ).rejects.toMatchObject({
      code: 'bad_request',
    })
    expect((await repo.getConversation(first.id))?.agentId).toBe(alice.userId)
  })
})
