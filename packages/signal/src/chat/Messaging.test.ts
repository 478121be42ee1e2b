import { asClientMessageId, type ConversationId, ErrorCode } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import type { Session } from '../auth/sessionTokens'
import type { Repository } from '../store/Repository'
import { alice, coreOn, customer, storesClosedAfterEach } from '../testing/inProcessCore'

const text = (conversationId: ConversationId, cid: string, body = cid) => ({
  conversationId,
  cid: asClientMessageId(cid),
  kind: 'text' as const,
  body,
})

describe('messaging, in process', () => {
  const store = storesClosedAfterEach()
  async function served() {
    const repo = await store()
    const { core } = await coreOn(repo)
    const ada = customer('ada')
    const opened = await core.lifecycle.open(ada, 'web')
    await core.desk.online(alice)
    return { repo, core, ada, id: opened.id }
  }
  const texts = async (repo: Repository, id: ConversationId) =>
    (await repo.listMessagesAfter(id, 0, 100)).filter((m) => m.kind === 'text').map((m) => m.body)

  it('reopens a resolved conversation for its customer, not for the agent, and a resent cid reopens nothing', async () => {
    const { repo, core, ada, id } = await served()
    await core.messaging.send(ada, text(id, 'before'))
    await core.lifecycle.resolve(alice, id)
    await expect(core.messaging.send(alice, text(id, 'agent-after'))).rejects.toMatchObject({
      code: ErrorCode.InvalidTransition,
    })
    const resent = await core.messaging.send(ada, text(id, 'before'))
    expect(resent.isDuplicate).toBe(true)
    expect((await repo.getConversation(id))?.state).toBe('resolved')
    await core.messaging.send(ada, text(id, 'again'))
    expect((await repo.getConversation(id))?.state).not.toBe('resolved')
    expect(await texts(repo, id)).toEqual(['before', 'again'])
  })

  it('reopens a closed conversation after the store refused to write into it without the lock', async () => {
    const { repo, core, ada, id } = await served()
    await core.messaging.send(ada, text(id, 'before'))
    await core.lifecycle.resolve(alice, id)
    const appendWhile = repo.appendMessageWhile.bind(repo)
    const refused: string[] = []
    repo.appendMessageWhile = async (message, admits) => {
      const appended = await appendWhile(message, admits)
      if (!appended) refused.push(message.cid)
      return appended
    }
    expect((await core.messaging.send(ada, text(id, 'again'))).isDuplicate).toBe(false)
    expect(refused).toEqual(['again'])
    expect((await repo.getConversation(id))?.state).toBe('queued')
    expect(await texts(repo, id)).toEqual(['before', 'again'])
  })

  it("refuses another customer's conversation for writing, reading and syncing, and stores nothing", async () => {
    const { repo, core, id } = await served()
    const eve: Session = customer('eve')
    const before = (await repo.getConversation(id))?.lastSeq
    await expect(core.messaging.send(eve, text(id, 'intruder'))).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    })
    await expect(core.messaging.read(eve, id, 1)).rejects.toMatchObject({ code: ErrorCode.Forbidden })
    await expect(
      core.messaging.sync(eve, { conversationId: id, afterSeq: 0, limit: 10 }),
    ).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    })
    expect((await repo.getConversation(id))?.lastSeq).toBe(before)
  })

  it('replays what a device missed in pages, and tells a device from another store or ahead to start over', async () => {
    const { repo, core, ada, id } = await served()
    for (const n of [1, 2, 3]) await core.messaging.send(ada, text(id, `m${n}`))
    const { lastSeq = 0 } = (await repo.getConversation(id)) ?? {}
    const epoch = await repo.epoch()
    const page = await core.messaging.sync(ada, {
      conversationId: id,
      afterSeq: lastSeq - 3,
      epoch,
      limit: 2,
    })
    expect(page).toMatchObject({ t: 'sync.batch', hasMore: true })
    expect(page.t === 'sync.batch' && page.messages.map((m) => m.body)).toEqual(['m1', 'm2'])
    expect(
      await core.messaging.sync(ada, { conversationId: id, afterSeq: 0, epoch: 'other', limit: 2 }),
    ).toMatchObject({ t: 'sync.reset', reason: 'epoch_changed', lastSeq })
    expect(
      await core.messaging.sync(ada, { conversationId: id, afterSeq: lastSeq + 5, limit: 2 }),
    ).toMatchObject({
      t: 'sync.reset',
      reason: 'cursor_ahead',
    })
  })

  it('keeps a read mark at most at the last message', async () => {
    const { repo, core, ada, id } = await served()
    await core.messaging.send(ada, text(id, 'hello'))
    const { lastSeq } = (await repo.getConversation(id)) ?? { lastSeq: 0 }
    await core.messaging.read(alice, id, lastSeq + 100)
    expect((await repo.readMarks(id)).get(alice.userId)).toBe(lastSeq)
  })
})
