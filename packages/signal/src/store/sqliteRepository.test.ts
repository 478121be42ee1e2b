import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asClientMessageId, asConversationId, asTeamId, asUserId } from '@kefu/shared'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS } from './migrations'
import { describeRepositoryContract, newConversation } from './repositoryContract'
import { openSqliteRepository } from './sqliteRepository'

const folder = mkdtempSync(join(tmpdir(), 'kefu-sqlite-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let files = 0

describeRepositoryContract(
  'SQLite',
  async () => openSqliteRepository(join(folder, `store-${++files}.db`)),
  async () => openSqliteRepository(join(folder, `store-${files}.db`)),
)

describe('SQLite file store', () => {
  it('keeps its epoch across reopening, and a new file gets a new one', async () => {
    const path = join(folder, 'epoch.db')
    const first = openSqliteRepository(path)
    const epoch = await first.epoch()
    await first.close()
    const reopened = openSqliteRepository(path)
    expect(await reopened.epoch()).toBe(epoch)
    await reopened.close()
    const other = openSqliteRepository(join(folder, 'other.db'))
    expect(await other.epoch()).not.toBe(epoch)
    await other.close()
  })

  it('reads back from the file what it answered from memory', async () => {
    const path = join(folder, 'remembered.db')
    const store = openSqliteRepository(path)
    await store.upsertTeam({ id: asTeamId('general'), name: 'General', answerTargetMs: 60_000 })
    const id = asConversationId('c-remembered')
    await store.createConversation(newConversation(id, 'cust'))
    await Promise.all(
      ['a', 'b', 'c'].map((cid) =>
        store.appendMessage({
          conversationId: id,
          cid: asClientMessageId(cid),
          authorId: asUserId('cust'),
          authorRole: 'customer',
          kind: 'text',
          body: cid,
          createdAt: 1000,
        }),
      ),
    )
    await store.updateConversation(id, { state: 'assigned', agentId: asUserId('agent'), updatedAt: 2000 })
    const remembered = await store.getConversation(id)
    await store.close()
    const reopened = openSqliteRepository(path)
    expect(await reopened.getConversation(id)).toEqual(remembered)
    expect(remembered).toMatchObject({ lastSeq: 3, state: 'assigned', agentId: 'agent' })
    await reopened.close()
  })

  it('upgrades a file from before messages stopped writing their conversation: seqs carry on', async () => {
    const path = join(folder, 'upgraded.db')
    const old = new Database(path)
    for (const migration of MIGRATIONS.slice(0, 3)) old.exec(migration)
    old.pragma('user_version = 3')
    old.exec(`INSERT INTO conversations (id, customer_id, customer_name, channel, state, team_id, priority,
        last_seq, created_at, updated_at) VALUES ('c-old', 'cust', 'Ada', 'web', 'active', 'general', 0, 2, 1, 1),
        ('c-push', 'wx_o123', 'WeChat user o123', 'wechat', 'active', 'general', 0, 0, 1, 1),
        ('c-mini', 'u_42', 'Bo', 'wechat', 'active', 'general', 0, 0, 1, 1);
      INSERT INTO messages (conversation_id, seq, cid, author_id, author_role, kind, body, created_at) VALUES
        ('c-old', 1, 'a', 'cust', 'customer', 'text', 'one', 1), ('c-old', 2, 'b', 'cust', 'customer', 'text', 'two', 1)`)
    old.close()
    const store = openSqliteRepository(path)
    const id = asConversationId('c-old')
    expect((await store.getConversation(id))?.lastSeq).toBe(2)
    // Only customers who wrote through WeChat's message push are replied to through WeChat's API.
    expect((await store.getConversation(asConversationId('c-push')))?.delivery).toBe('wechat_cs')
    expect((await store.getConversation(asConversationId('c-mini')))?.delivery).toBe('kefu')
    expect((await store.getConversation(id))?.delivery).toBe('kefu')
    const next = await store.appendMessage({
      conversationId: id,
      cid: asClientMessageId('c'),
      authorId: asUserId('cust'),
      authorRole: 'customer',
      kind: 'text',
      body: 'three',
      createdAt: 2,
    })
    expect(next.message.seq).toBe(3)
    expect((await store.listMessagesAfter(id, 0, 10)).map((message) => message.body)).toEqual([
      'one',
      'two',
      'three',
    ])
    await store.close()
  })

  // SQLite counts in the log's header each time the log starts over from its beginning.
  const logRestarts = (path: string) => readFileSync(`${path}-wal`).readUInt32BE(12)

  // Before, one checkpoint round a second left the log growing without end: 963 MB and no restart
  // in 3 s of these writes.
  it.each([
    ['with the default rounds', {}],
    ['with the writer copying the rest after a single round', { maxRounds: 1 }],
  ])('starts its log over under writes that never pause: %s', async (_, rounds) => {
    const path = join(folder, `steady-${files++}.db`)
    const store = openSqliteRepository(path, {
      checkpoint: { intervalMs: 50, restartAfterFrames: 100, ...rounds },
      onError: (message) => expect.fail(message),
    })
    await store.upsertTeam({ id: asTeamId('general'), name: 'General', answerTargetMs: 60_000 })
    const conversations = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        store.createConversation(newConversation(`c-steady-${index}`, `cust-${index}`)),
      ),
    )
    const restartsBefore = logRestarts(path)
    let sent = 0
    // Until the log has started over three times, or 8 s: a loaded machine (the suite runs files
    // side by side on two cores) can take a second to start the checkpoint worker's thread.
    const restarted = () => logRestarts(path) - restartsBefore
    for (const endAt = Date.now() + 8000; Date.now() < endAt && restarted() < 3; ) {
      await Promise.all(
        Array.from({ length: 5 }, () => {
          const conversation = conversations[sent % conversations.length]
          return store.appendMessage({
            conversationId: conversation?.id ?? asConversationId('none'),
            cid: asClientMessageId(`m-${sent++}`),
            authorId: asUserId('cust'),
            authorRole: 'customer',
            kind: 'text',
            body: 'x'.repeat(1024),
            createdAt: 2000,
          })
        }),
      )
    }
    expect(restarted()).toBeGreaterThanOrEqual(3)
    await store.close()
    const reopened = openSqliteRepository(path)
    const lastSeqs = await Promise.all(
      conversations.map(
        async (conversation) => (await reopened.getConversation(conversation.id))?.lastSeq ?? 0,
      ),
    )
    expect(lastSeqs.reduce((total, lastSeq) => total + lastSeq, 0)).toBe(sent)
    await reopened.close()
  })
})
