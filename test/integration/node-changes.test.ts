import { LocalRateLimits, MemoryBus, systemClock } from '@kefu/signal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeWechatApi, sha1, signedMoment } from '../helpers/fakeWechat'
import { onCluster, sharedClusterEnv, TestServer } from '../helpers/testServer'
import { until } from '../helpers/until'

// Two server nodes: on the `cluster` project two real nodes of one cluster (PostgreSQL and Redis);
// otherwise in one process with one store and one bus between them. What each node keeps a copy of
// (the knowledge index, the playbook in force) follows a change made at the other. Waits for the
// change to arrive; how long that takes is not this test's business.
let first: TestServer
let second: TestServer
let leadAtFirst: string
let leadAtSecond: string
let wechatApi: FakeWechatApi
const WECHAT_TOKEN = 'kefu-wechat-token'
beforeAll(async () => {
  wechatApi = new FakeWechatApi()
  const env = {
    WECHAT_TOKEN,
    WECHAT_APP_ID: 'wx0123456789abcdef',
    WECHAT_APP_SECRET: 'secret',
    WECHAT_MESSAGE_MODE: 'plain',
    WECHAT_API_BASE: await wechatApi.start(),
    // Few enough logins a minute for the test to use them up; setup takes two.
    AUTH_RATE_LIMIT_PER_MIN: '6',
  }
  if (onCluster) {
    const shared = sharedClusterEnv()
    first = await TestServer.start({ ...env, ...shared })
    second = await TestServer.start({ ...env, ...shared })
  } else {
    const bus = new MemoryBus()
    const rateLimits = new LocalRateLimits(systemClock)
    first = await TestServer.start(env, undefined, { ports: { bus, rateLimits } })
    second = await TestServer.start(env, undefined, { repo: first.server.repo, ports: { bus, rateLimits } })
  }
  leadAtFirst = await first.agentToken('nc-lead', ['general'], 0, 'supervisor')
  leadAtSecond = await second.agentToken('nc-lead-2', ['general'], 0, 'supervisor')
})
afterAll(async () => {
  await second?.stop()
  await first?.stop()
  wechatApi?.stop()
})

const OUTAGE = 'playbook-payment-outage'

describe('a second node', () => {
  it('answers from a knowledge entry saved at the first one', async () => {
    const ask = async () =>
      (
        await second.post<{ hits: { id: string }[] }>(
          '/api/knowledge/ask',
          { q: '月球上能送货吗' },
          leadAtSecond,
        )
      ).body.hits[0]?.id
    expect(await ask()).not.toBe('nc-moon-delivery')
    const imported = await first.post(
      '/api/knowledge/import',
      {
        format: 'jsonl',
        text: JSON.stringify({
          id: 'nc-moon-delivery',
          tier: 'faq',
          lang: 'zh',
          questions: ['月球上能送货吗', '可以送到月球吗'],
          answer: '暂不支持月球配送。',
        }),
      },
      leadAtFirst,
    )
    expect(imported.status).toBe(200)
    expect(await until(ask, (id) => id === 'nc-moon-delivery')).toBe('nc-moon-delivery')
  })

  it('is in emergency mode once a playbook is switched on at the first one, and out of it once it is off', async () => {
    const activeAtSecond = async () =>
      (await second.get<{ active: { playbook: { id: string } } | null }>('/api/playbooks', leadAtSecond)).body
        .active?.playbook.id ?? null
    expect(await activeAtSecond()).toBeNull()
    expect((await first.post(`/api/playbooks/${OUTAGE}/activate`, {}, leadAtFirst)).status).toBe(200)
    expect(await until(activeAtSecond, (id) => id === OUTAGE)).toBe(OUTAGE)
    // A customer waiting at the second node asks about the outage: the second node moves them up,
    // and switching off at the first one moves them back down.
    const customer = await second.connect(await second.guestToken())
    const { id: conversationId } = await customer.openConversation()
    const priority = async () => (await first.server.repo.getConversation(conversationId))?.priority
    const before = await priority()
    await customer.say(conversationId, '我付款失败了，钱扣了吗', 'nc-outage-1')
    const raised = await until(priority, (now) => now !== before)
    expect(raised).toBeGreaterThan(before ?? 0)
    expect((await first.post('/api/playbooks/deactivate', {}, leadAtFirst)).status).toBe(200)
    expect(await until(activeAtSecond, (id) => id === null)).toBeNull()
    expect(await priority()).toBe(before)
    await customer.close()
  })

  it('refuses a WeChat push replayed to it that the first one took', async () => {
    const moment = signedMoment()
    const push = (server: TestServer, content: string) =>
      fetch(
        `${server.url}/wechat/callback?signature=${sha1(WECHAT_TOKEN, moment.timestamp, moment.nonce)}&timestamp=${moment.timestamp}&nonce=${moment.nonce}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ToUserName: 'gh_kefu',
            FromUserName: 'openid-nodes',
            CreateTime: Math.floor(Date.now() / 1000),
            MsgType: 'text',
            Content: content,
            MsgId: content === 'hello' ? '7001' : '7002',
          }),
        },
      )
    expect((await push(first, 'hello')).status).toBe(200)
    const replayed = await push(second, 'a forged body')
    expect(replayed.status).toBe(401)
    expect(await replayed.json()).toMatchObject({ code: 'signature_invalid' })
    const [conversation] = await first.server.repo.listConversations({
      customerId: 'wx_openid-nodes' as never,
      limit: 1,
    })
    const texts = conversation ? await first.server.repo.listMessagesAfter(conversation.id, 0, 50) : []
    expect(texts.filter((m) => m.kind === 'text').map((m) => m.body)).toEqual(['hello'])
  })

  it("counts one caller's logins at both nodes against one limit", async () => {
    const login = (server: TestServer) =>
      server.post('/api/agent/login', { login: 'nc-lead', password: 'pw' })
    let refused = false
    for (let attempt = 0; attempt < 20 && !refused; attempt++) refused = (await login(first)).status === 429
    expect(refused).toBe(true)
    const atTheOther = await login(second)
    expect([atTheOther.status, atTheOther.body.code]).toEqual([429, 'rate_limited'])
  })
})
