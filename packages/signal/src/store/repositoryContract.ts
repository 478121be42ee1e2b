import {
  asClientMessageId,
  asConversationId,
  asTeamId,
  asUserId,
  type Conversation,
  type ConversationId,
  KefuError,
  type KnowledgeRecord,
} from '@kefu/shared'
import { samplePlaybook } from '@kefu/shared/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConversationQuery, NewConversation, NewMessage, Repository } from './Repository'

const customer = asUserId('cust-1')
const general = asTeamId('general')

const text = (conversationId: ConversationId, cid: string, body = cid): NewMessage => ({
  conversationId,
  cid: asClientMessageId(cid),
  authorId: customer,
  authorRole: 'customer',
  kind: 'text',
  body,
  createdAt: 1000,
})

/** A new web conversation in the general team, as the stores' own tests open one. */
export function newConversation(id: string, customerId: string): NewConversation {
  return {
    id: asConversationId(id),
    customerId: asUserId(customerId),
    customerName: 'Ada',
    channel: 'web',
    delivery: 'kefu',
    teamId: general,
    priority: 0,
    createdAt: 1000,
  }
}

/**
 * The behaviour every Repository implementation must show; each store's test file calls this.
 * `openSibling` opens a second repository on the same database as the last `open` (a second
 * server node, or a tool), to pin down what several writers may rely on.
 */
export function describeRepositoryContract(
  name: string,
  open: () => Promise<Repository>,
  openSibling: () => Promise<Repository>,
): void {
  describe(`${name} repository contract`, () => {
    let repo: Repository
    let conversationId: ConversationId

    beforeEach(async () => {
      repo = await open()
      await repo.upsertTeam({ id: general, name: 'General', answerTargetMs: 60_000 })
      conversationId = asConversationId(`c-${Math.random().toString(36).slice(2)}`)
      await repo.createConversation(newConversation(conversationId, customer))
    })
    afterEach(async () => repo.close())

    it('gives messages consecutive seq numbers', async () => {
      const seqs = []
      for (const cid of ['a', 'b', 'c'])
        seqs.push((await repo.appendMessage(text(conversationId, cid))).message.seq)
      expect(seqs).toEqual([1, 2, 3])
      expect((await repo.getConversation(conversationId))?.lastSeq).toBe(3)
    })

    it('gives gap-free, unique seqs when two repositories on one database write to one conversation', async () => {
      const sibling = await openSibling()
      try {
        const writes = Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? repo : sibling).appendMessage(text(conversationId, `w${i}`)),
        )
        // Each turn of the event loop is one transaction per repository: interleave them too.
        for (let round = 0; round < 5; round++) {
          await (round % 2 === 0 ? repo : sibling).appendMessage(text(conversationId, `r${round}`))
          await sibling.appendMessage(text(conversationId, `s${round}`))
        }
        const seqs = (await Promise.all(writes)).map((result) => result.message.seq)
        const stored = await repo.listMessagesAfter(conversationId, 0, 100)
        expect(stored.map((message) => message.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
        expect(new Set(seqs).size).toBe(40)
        expect((await sibling.getConversation(conversationId))?.lastSeq).toBe(50)
        expect((await repo.appendMessage(text(conversationId, 'after'))).message.seq).toBe(51)
      } finally {
        await sibling.close()
      }
    })

    it('stores a resent cid once and returns the original', async () => {
      const first = await repo.appendMessage(text(conversationId, 'same', 'first'))
      const again = await repo.appendMessage(text(conversationId, 'same', 'second'))
      expect(again.isDuplicate).toBe(true)
      expect(again.message).toEqual(first.message)
      expect(await repo.listMessagesAfter(conversationId, 0, 10)).toHaveLength(1)
    })

    it('stores a message only while the conversation is in the given states, and finds a resent one whatever the state', async () => {
      const open = (conversation: Conversation) => ['queued', 'assigned'].includes(conversation.state)
      expect((await repo.appendMessageWhile(text(conversationId, 'early'), open))?.message.seq).toBe(1)
      await repo.updateConversation(conversationId, { state: 'resolved', resolvedAt: 2000, updatedAt: 2000 })
      expect(await repo.appendMessageWhile(text(conversationId, 'late'), open)).toBeUndefined()
      expect(await repo.appendMessageWhile(text(conversationId, 'early', 'resent'), open)).toMatchObject({
        isDuplicate: true,
        message: { seq: 1, body: 'early' },
      })
      expect((await repo.listMessagesAfter(conversationId, 0, 10)).map((message) => message.cid)).toEqual([
        'early',
      ])
    })

    it('judges a conditional append by the conversation as it stands, the agent assigned since included', async () => {
      const alice = asUserId('alice')
      await repo.updateConversation(conversationId, { state: 'assigned', agentId: alice, updatedAt: 2000 })
      const hers = (conversation: Conversation) => {
        if (conversation.agentId !== alice) throw KefuError.forbidden('Not your conversation')
        return true
      }
      expect(await repo.appendMessageWhile(text(conversationId, 'hi'), hers)).toMatchObject({
        isDuplicate: false,
        conversation: { id: conversationId, state: 'assigned', agentId: alice },
      })
      await repo.updateConversation(conversationId, { agentId: asUserId('bob'), updatedAt: 3000 })
      await expect(repo.appendMessageWhile(text(conversationId, 'not hers'), hers)).rejects.toMatchObject({
        code: 'forbidden',
      })
      expect((await repo.listMessagesAfter(conversationId, 0, 10)).map((message) => message.cid)).toEqual([
        'hi',
      ])
    })

    it('stores no conditional message once a change of state that raced it is done', async () => {
      const queued = (conversation: Conversation) => conversation.state === 'queued'
      const writes = Array.from({ length: 30 }, (_, i) =>
        repo.appendMessageWhile(text(conversationId, `r${i}`), queued),
      )
      const closing = repo.updateConversation(conversationId, { state: 'abandoned', updatedAt: 2000 })
      const outcomes = await Promise.all(writes)
      await closing
      expect(await repo.appendMessageWhile(text(conversationId, 'after'), queued)).toBeUndefined()
      const stored = await repo.listMessagesAfter(conversationId, 0, 100)
      const acknowledged = outcomes
        .filter((outcome) => outcome !== undefined)
        .map((outcome) => outcome.message.cid)
      expect(stored.map((message) => message.cid).sort()).toEqual(acknowledged.sort())
    })

    it('keeps seq unique when many appends race', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => repo.appendMessage(text(conversationId, `m${i}`))),
      )
      const seqs = results.map((result) => result.message.seq).sort((a, b) => a - b)
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    })

    it('fails a message to an unknown conversation alone, even when it arrives with others', async () => {
      const unknown = asConversationId('c-unknown')
      const outcomes = await Promise.allSettled([
        repo.appendMessage(text(conversationId, 'm1')),
        repo.appendMessage(text(unknown, 'lost')),
        repo.appendMessage(text(conversationId, 'm2')),
      ])
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(outcomes[1]).toMatchObject({ reason: { code: 'not_found' } })
      // Appends in flight together are ordered by whichever takes the row lock first.
      const stored = await repo.listMessagesAfter(conversationId, 0, 10)
      expect(stored.map((m) => m.cid).sort()).toEqual(['m1', 'm2'])
      expect(stored.map((m) => m.seq)).toEqual([1, 2])
      expect((await repo.getConversation(conversationId))?.lastSeq).toBe(2)
    })

    it('leaves no gap in seq where a message in a batch is refused', async () => {
      const broken = { ...text(conversationId, 'broken'), body: null as unknown as string }
      const outcomes = await Promise.allSettled([
        repo.appendMessage(text(conversationId, 'm1')),
        repo.appendMessage(broken),
        repo.appendMessage(text(conversationId, 'm2')),
      ])
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      const stored = await repo.listMessagesAfter(conversationId, 0, 10)
      expect(stored.map((m) => m.seq)).toEqual([1, 2])
      expect(stored.map((m) => m.cid).sort()).toEqual(['m1', 'm2'])
      expect((await repo.appendMessage(text(conversationId, 'm3'))).message.seq).toBe(3)
    })

    it('pages history backwards and replays forwards', async () => {
      for (let i = 1; i <= 7; i++) await repo.appendMessage(text(conversationId, `m${i}`))
      expect((await repo.listMessagesBefore(conversationId, 8, 3)).map((m) => m.seq)).toEqual([5, 6, 7])
      expect((await repo.listMessagesBefore(conversationId, 5, 3)).map((m) => m.seq)).toEqual([2, 3, 4])
      expect((await repo.listMessagesAfter(conversationId, 4, 2)).map((m) => m.seq)).toEqual([5, 6])
    })

    it('moves a conversation through its states and lists it by state and team', async () => {
      const agent = asUserId('agent-1')
      await repo.updateConversation(conversationId, { state: 'assigned', agentId: agent, updatedAt: 2000 })
      const assigned = await repo.listConversations({ states: ['assigned'], teamIds: [general], limit: 10 })
      expect(assigned.map((c) => [c.id, c.agentId])).toEqual([[conversationId, agent]])
      expect(await repo.listConversations({ states: ['queued'], limit: 10 })).toEqual([])
      expect(await repo.listConversations({ teamIds: [], limit: 10 })).toEqual([])
    })

    it('never lowers a read mark', async () => {
      await repo.markRead(conversationId, customer, 5)
      await repo.markRead(conversationId, customer, 3)
      expect((await repo.readMarks(conversationId)).get(customer)).toBe(5)
    })

    it('hands offline messages over once and purges expired ones', async () => {
      await repo.enqueueOffline(customer, { conversationId, seq: 1, enqueuedAt: 100 })
      await repo.enqueueOffline(customer, { conversationId, seq: 2, enqueuedAt: 200 })
      await repo.enqueueOffline(customer, { conversationId, seq: 2, enqueuedAt: 200 })
      expect(await repo.purgeOffline(150)).toBe(1)
      expect((await repo.takeOffline(customer, 10)).map((entry) => entry.seq)).toEqual([2])
      expect(await repo.takeOffline(customer, 10)).toEqual([])
    })

    it('counts replies within a window that each customer message reopens', async () => {
      await repo.openReplyWindow(customer, 1000)
      expect(await repo.takeReply(customer, 500, 2)).toBe(true)
      expect(await repo.takeReply(customer, 500, 2)).toBe(true)
      expect(await repo.takeReply(customer, 500, 2)).toBe(false)
      expect(await repo.takeReply(customer, 1500, 2)).toBe(false)
      await repo.openReplyWindow(customer, 2000)
      expect(await repo.replyWindow(customer)).toEqual({ lastInboundAt: 2000, repliesUsed: 0 })
      expect(await repo.takeReply(asUserId('nobody'), 0, 5)).toBe(false)
    })

    it('keeps a customer as last told, their language too', async () => {
      const ada = {
        id: asUserId('u_contract-ada'),
        displayName: 'Ada',
        vipLevel: 2,
        lastPurchaseAt: 1_000,
        platform: 'web' as const,
        isGuest: false,
        language: 'en',
      }
      await repo.upsertCustomer(ada, 1)
      expect(await repo.getCustomer(ada.id)).toEqual(ada)
      const told = { ...ada, displayName: 'Ada L.', vipLevel: 4, language: null }
      await repo.upsertCustomer(told, 2)
      expect(await repo.getCustomer(ada.id)).toEqual(told)
      expect(await repo.getCustomer(asUserId('u_nobody'))).toBeUndefined()
    })

    it('recognises a retried upstream event by its id', async () => {
      expect(await repo.hasWebhookEvent('evt-1')).toBe(false)
      expect(await repo.recordWebhookEvent('evt-1', 1)).toBe(true)
      expect(await repo.hasWebhookEvent('evt-1')).toBe(true)
      expect(await repo.hasWebhookEvent('evt-2')).toBe(false)
      expect(await repo.recordWebhookEvent('evt-1', 2)).toBe(false)
      expect(await repo.recordWebhookEvent('evt-2', 3)).toBe(true)
      expect(await repo.purgeWebhookEvents(2)).toBe(1)
      expect([await repo.hasWebhookEvent('evt-1'), await repo.hasWebhookEvent('evt-2')]).toEqual([
        false,
        true,
      ])
    })

    it('keeps one upstream token per name, and forgets it only while it is the stale one', async () => {
      expect(await repo.readUpstreamToken('wechat')).toBeUndefined()
      await repo.saveUpstreamToken('wechat', { value: 'token-1', expiresAt: 100 })
      await repo.saveUpstreamToken('wechat', { value: 'token-2', expiresAt: 200 })
      await repo.forgetUpstreamToken('wechat', 'token-1')
      expect(await repo.readUpstreamToken('wechat')).toEqual({ value: 'token-2', expiresAt: 200 })
      await repo.forgetUpstreamToken('wechat', 'token-2')
      expect(await repo.readUpstreamToken('wechat')).toBeUndefined()
    })

    it("keeps alerts, lists a team's and the whole service's, and keeps the first acknowledgement", async () => {
      const alert = (id: string, teamId: string | null, raisedAt: number) => ({
        id,
        kind: 'threshold' as const,
        figure: 'frt',
        teamId: teamId === null ? null : asTeamId(teamId),
        value: 21_000,
        limit: 15_000,
        message: 'FRT 21 s above 15 s',
        raisedAt,
        acknowledgedAt: null,
        acknowledgedBy: null,
      })
      await repo.saveAlert(alert('al-1', 'premium', 1))
      await repo.saveAlert(alert('al-2', 'general', 2))
      await repo.saveAlert(alert('al-3', null, 3))
      await repo.saveAlert({ ...alert('al-1', 'premium', 9), value: 1 })
      expect((await repo.listAlerts([asTeamId('premium')], 10)).map((a) => a.id)).toEqual(['al-3', 'al-1'])
      expect((await repo.listAlerts([asTeamId('premium')], 10))[1]?.value).toBe(21_000)
      expect((await repo.acknowledgeAlert('al-1', asUserId('sup-1'), 5))?.acknowledgedAt).toBe(5)
      const again = await repo.acknowledgeAlert('al-1', asUserId('sup-2'), 6)
      expect(again).toMatchObject({ acknowledgedAt: 5, acknowledgedBy: 'sup-1' })
      expect(await repo.acknowledgeAlert('al-404', asUserId('sup-1'), 5)).toBeUndefined()
      expect(await repo.getAlert('al-2')).toEqual(alert('al-2', 'general', 2))
      expect(await repo.getAlert('al-404')).toBeUndefined()
    })

    it('takes an alert condition once while it holds, and keeps what a baseline learnt', async () => {
      expect(await repo.claimAlertCondition('anger:c1', 'al-1', 10)).toBe(true)
      expect(await repo.claimAlertCondition('anger:c1', 'al-2', 11)).toBe(false)
      expect(await repo.claimAlertCondition('queue:general', 'al-3', 20)).toBe(true)
      await repo.clearAlertCondition('queue:general')
      expect(await repo.claimAlertCondition('queue:general', 'al-4', 30)).toBe(true)
      expect(await repo.purgeAlertConditions(15)).toBe(1)
      expect(await repo.claimAlertCondition('anger:c1', 'al-5', 40)).toBe(true)
      expect(await repo.readAlertBaseline('queue:general')).toBeUndefined()
      const learnt = { mean: 1.25, variance: 0.5, seen: 12, observedAt: 300_000 }
      await repo.saveAlertBaseline('queue:general', learnt)
      await repo.saveAlertBaseline('queue:general', { ...learnt, seen: 13, observedAt: 310_000 })
      expect(await repo.readAlertBaseline('queue:general')).toEqual({
        ...learnt,
        seen: 13,
        observedAt: 310_000,
      })
    })

    it('keeps emergency playbook activations, newest first, and their changes', async () => {
      const playbook = samplePlaybook()
      const activation = (id: string, activatedAt: number) => ({
        id,
        playbook,
        activatedBy: asUserId('sup-1'),
        activatedByName: 'Sam',
        activatedAt,
        deactivatedBy: null,
        deactivatedByName: null,
        deactivatedAt: null,
        boosted: [],
      })
      await repo.savePlaybookActivation(activation('pa-1', 10))
      await repo.savePlaybookActivation(activation('pa-2', 20))
      const other = asConversationId('c-boosted-second')
      expect(await repo.boostForPlaybook('pa-1', other, 11)).toBe(true)
      expect(await repo.boostForPlaybook('pa-1', conversationId, 12)).toBe(true)
      expect(await repo.boostForPlaybook('pa-1', other, 13)).toBe(false)
      // A record saved with a list of its own does not replace the boosts another node recorded.
      await repo.savePlaybookActivation({
        ...activation('pa-1', 10),
        deactivatedBy: asUserId('sup-2'),
        deactivatedByName: 'Kim',
        deactivatedAt: 15,
        boosted: [],
      })
      const [latest, first] = await repo.listPlaybookActivations(10)
      expect(latest).toMatchObject({ id: 'pa-2', boosted: [] })
      expect(first).toMatchObject({ id: 'pa-1', deactivatedAt: 15, boosted: [other, conversationId] })
      expect(await repo.listPlaybookBoosts('pa-1')).toEqual([other, conversationId])
      expect(await repo.listPlaybookBoosts('pa-2')).toEqual([])
      expect(await repo.listPlaybookActivations(1)).toHaveLength(1)
    })

    it("keeps a customer's behaviour events once each, the latest in time order", async () => {
      const customer = asUserId('u_shopper')
      const event = (id: string, at: number) => ({
        id,
        customerId: 'shopper',
        type: 'page_view' as const,
        page: 'refund-policy',
        at,
      })
      expect(await repo.recordBehaviourEvent(customer, event('e1', 10))).toBe(true)
      expect(await repo.recordBehaviourEvent(customer, event('e3', 30))).toBe(true)
      expect(await repo.recordBehaviourEvent(customer, event('e2', 20))).toBe(true)
      expect(await repo.recordBehaviourEvent(customer, event('e2', 20))).toBe(false)
      expect(await repo.recordBehaviourEvent(asUserId('u_other'), event('e2', 20))).toBe(true)
      expect(await repo.listBehaviourEvents(customer, 0, 10)).toEqual([
        event('e1', 10),
        event('e2', 20),
        event('e3', 30),
      ])
      expect(await repo.listBehaviourEvents(customer, 15, 1)).toEqual([event('e3', 30)])
      expect(await repo.purgeBehaviourEvents(25)).toBe(3)
      expect(await repo.listBehaviourEvents(customer, 0, 10)).toEqual([event('e3', 30)])
    })

    it('grants one proactive offer per customer, rule and day', async () => {
      expect(await repo.claimProactiveOffer(customer, 'payment-failed', '2026-12-03', 1)).toBe(true)
      expect(await repo.claimProactiveOffer(customer, 'payment-failed', '2026-12-03', 2)).toBe(false)
      expect(await repo.claimProactiveOffer(customer, 'refund-policy-viewed', '2026-12-03', 3)).toBe(true)
      expect(await repo.claimProactiveOffer(customer, 'payment-failed', '2026-12-04', 4)).toBe(true)
    })

    it('keeps its epoch for every repository on the same database', async () => {
      const sibling = await openSibling()
      try {
        expect(await sibling.epoch()).toBe(await repo.epoch())
        expect(await repo.epoch()).toMatch(/\S{8,}/)
      } finally {
        await sibling.close()
      }
    })

    it('lists conversations by customer, agent and age, newest activity first', async () => {
      const agent = asUserId('agent-1')
      const later = asConversationId(`${conversationId}-later`)
      await repo.createConversation({
        id: later,
        customerId: customer,
        customerName: 'Ada',
        channel: 'wechat',
        delivery: 'kefu',
        teamId: general,
        priority: 2,
        createdAt: 3000,
      })
      await repo.updateConversation(conversationId, { agentId: agent, updatedAt: 2000 })
      const ids = async (query: Omit<ConversationQuery, 'limit'>, limit = 10) =>
        (await repo.listConversations({ ...query, limit })).map((c) => c.id)
      expect(await ids({ customerId: customer })).toEqual([later, conversationId])
      expect(await ids({ customerId: customer }, 1)).toEqual([later])
      expect(await ids({ agentId: agent })).toEqual([conversationId])
      expect(await ids({ customerId: customer, updatedBefore: 3000 })).toEqual([conversationId])
      expect(await ids({ customerId: asUserId('someone-else') })).toEqual([])
      expect((await repo.getConversation(later))?.priority).toBe(2)
    })

    it('keeps handover notes in the order they were written, ties included', async () => {
      const note = (text: string, at: number) => ({
        at,
        authorId: asUserId('agent-1'),
        authorName: 'Alice',
        note: text,
      })
      await repo.addHandoverNote(conversationId, note('second at 5', 5))
      await repo.addHandoverNote(conversationId, note('first at 1', 1))
      await repo.addHandoverNote(conversationId, note('third at 5', 5))
      expect((await repo.listHandoverNotes(conversationId)).map((n) => n.note)).toEqual([
        'first at 1',
        'second at 5',
        'third at 5',
      ])
      expect(await repo.listHandoverNotes(asConversationId('c-none'))).toEqual([])
    })

    it('keeps an uploaded file byte for byte under its name, once', async () => {
      const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)
      const media = {
        name: `${'ab'.repeat(16)}.png`,
        mime: 'image/png',
        bytes,
        uploadedBy: asUserId('u1'),
        uploadedAt: 5,
      }
      await repo.saveMedia(media)
      const read = await repo.readMedia(media.name)
      expect(read && { ...read, bytes: Buffer.from(read.bytes) }).toEqual({
        ...media,
        bytes: Buffer.from(bytes),
      })
      await expect(repo.saveMedia({ ...media, bytes: Uint8Array.of(1) })).rejects.toThrow()
      expect(Buffer.from((await repo.readMedia(media.name))?.bytes ?? []).equals(Buffer.from(bytes))).toBe(
        true,
      )
      expect(await repo.readMedia(`${'cd'.repeat(16)}.png`)).toBeUndefined()
    })

    it("keeps canned replies: a person's own and their teams', by name, until deleted", async () => {
      const reply = (id: string, name: string, owner: string | null, team: string | null) => ({
        id,
        ownerId: owner,
        teamId: team,
        name,
        body: `body of ${name}`,
      })
      await repo.saveCannedReply(reply('cr-1', 'refund', 'agent-1', null), 1)
      await repo.saveCannedReply(reply('cr-2', 'hello', null, 'general'), 2)
      await repo.saveCannedReply(reply('cr-3', 'vip', null, 'premium'), 3)
      await repo.saveCannedReply(reply('cr-4', 'mine', 'agent-2', null), 4)
      const names = async (owner: string, teams: string[]) =>
        (await repo.listCannedReplies(asUserId(owner), teams.map(asTeamId))).map((r) => r.name)
      expect(await names('agent-1', ['general'])).toEqual(['hello', 'refund'])
      expect(await names('agent-1', [])).toEqual(['refund'])
      expect(await names('agent-1', ['general', 'premium'])).toEqual(['hello', 'refund', 'vip'])
      expect(await repo.getCannedReply('cr-2')).toEqual(reply('cr-2', 'hello', null, 'general'))
      await repo.deleteCannedReply('cr-2')
      expect(await repo.getCannedReply('cr-2')).toBeUndefined()
      expect(await names('agent-1', ['general'])).toEqual(['refund'])
    })

    it('adds live figures up by bucket, whoever writes them, and forgets old buckets', async () => {
      const figure = (bucket: number, scope: string, sum: number, count: number, max: number) => ({
        bucket,
        figure: 'queue',
        scope,
        sum,
        count,
        max,
      })
      await repo.addLiveFigures([figure(100, 'all', 10, 2, 6), figure(100, 'general', 4, 1, 4)], 0)
      await repo.addLiveFigures([figure(100, 'all', 3, 1, 3), figure(200, 'all', 7, 1, 7)], 0)
      const sibling = await openSibling()
      try {
        await sibling.addLiveFigures([figure(100, 'all', 8, 1, 8)], 0)
      } finally {
        await sibling.close()
      }
      expect(await repo.listLiveFigures(0)).toEqual([
        figure(100, 'all', 21, 4, 8),
        figure(100, 'general', 4, 1, 4),
        figure(200, 'all', 7, 1, 7),
      ])
      expect(await repo.listLiveFigures(150)).toEqual([figure(200, 'all', 7, 1, 7)])
      await repo.addLiveFigures([figure(300, 'all', 1.5, 1, 1.5)], 200)
      expect(await repo.listLiveFigures(0)).toEqual([
        figure(200, 'all', 7, 1, 7),
        figure(300, 'all', 1.5, 1, 1.5),
      ])
    })

    it('keeps knowledge entries as a whole, and counts each use', async () => {
      const record = (id: string, status: KnowledgeRecord['status'], updatedAt: number) => ({
        entry: samplePlaybook({ id }),
        status,
        updatedAt,
        updatedBy: 'sup-1',
      })
      await repo.saveKnowledge([record('kb-2', 'draft', 1), record('kb-1', 'active', 1)])
      await repo.saveKnowledge([record('kb-2', 'active', 2)])
      expect(await repo.listKnowledge()).toEqual([record('kb-1', 'active', 1), record('kb-2', 'active', 2)])
      await expect(
        repo.saveKnowledge([
          record('kb-3', 'draft', 3),
          { ...record('kb-1', 'retired', 3), updatedBy: null as unknown as string },
        ]),
      ).rejects.toThrow()
      expect((await repo.listKnowledge()).map((r) => [r.entry.id, r.status])).toEqual([
        ['kb-1', 'active'],
        ['kb-2', 'active'],
      ])
      await repo.countKnowledgeUse('kb-1', 'hit', 10)
      await repo.countKnowledgeUse('kb-1', 'hit', 20)
      await repo.countKnowledgeUse('kb-1', 'helped', 30)
      await repo.countKnowledgeUse('kb-1', 'not_helped', 40)
      await repo.countKnowledgeUse('kb-2', 'handoff', 50)
      const usage = (await repo.listKnowledgeUsage()).sort((a, b) => a.entryId.localeCompare(b.entryId))
      expect(usage).toEqual([
        { entryId: 'kb-1', hits: 2, helped: 1, notHelped: 1, handoffs: 0, lastHitAt: 20 },
        { entryId: 'kb-2', hits: 0, helped: 0, notHelped: 0, handoffs: 1, lastHitAt: null },
      ])
    })

    it('keeps staff with their teams', async () => {
      await repo.createStaff({
        id: asUserId('agent-1'),
        login: 'alice',
        displayName: 'Alice',
        role: 'agent',
        passwordHash: 'hash',
        capacity: 3,
        teams: [general],
      })
      expect(await repo.findStaffByLogin('alice')).toMatchObject({
        id: 'agent-1',
        teams: ['general'],
        capacity: 3,
      })
      expect(await repo.findStaffByLogin('nobody')).toBeUndefined()
    })

    it('moves staff between teams and deactivates them', async () => {
      await repo.upsertTeam({ id: asTeamId('premium'), name: 'Premium', answerTargetMs: 15_000 })
      await repo.createStaff({
        id: asUserId('agent-2'),
        login: 'bob',
        displayName: 'Bob',
        role: 'agent',
        passwordHash: 'hash',
        capacity: 3,
        teams: [general],
      })
      expect(await repo.getStaff(asUserId('agent-2'))).toMatchObject({ active: true, teams: ['general'] })
      await repo.updateStaff(asUserId('agent-2'), { teams: [asTeamId('premium')] })
      expect(await repo.getStaff(asUserId('agent-2'))).toMatchObject({ active: true, teams: ['premium'] })
      await repo.updateStaff(asUserId('agent-2'), { active: false })
      expect(await repo.getStaff(asUserId('agent-2'))).toMatchObject({ active: false, teams: ['premium'] })
      await repo.updateStaff(asUserId('agent-2'), { teams: [asTeamId('premium'), general], active: true })
      expect((await repo.listStaff()).map((s) => [s.login, s.active, s.teams])).toEqual([
        ['bob', true, ['general', 'premium']],
      ])
      await repo.upsertTeam({ id: asTeamId('premium'), name: 'Premium care', answerTargetMs: 10_000 })
      expect(await repo.listTeams()).toEqual([
        { id: 'general', name: 'General', answerTargetMs: 60_000 },
        { id: 'premium', name: 'Premium care', answerTargetMs: 10_000 },
      ])
    })
  })
}
