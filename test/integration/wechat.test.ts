import { encryptWechatMessage } from '@kefu/signal'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeWechatApi, sha1, signedMoment } from '../helpers/fakeWechat'
import { TestServer } from '../helpers/testServer'

const TOKEN = 'kefu-wechat-token'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const APP_ID = 'wx0123456789abcdef'

let server: TestServer
let wechatApi: FakeWechatApi
beforeEach(async () => {
  wechatApi = new FakeWechatApi()
  server = await TestServer.start({
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_ID: APP_ID,
    WECHAT_APP_SECRET: 'secret',
    WECHAT_ENCODING_AES_KEY: AES_KEY,
    // Both modes are exercised here; safe mode alone is tested below.
    WECHAT_MESSAGE_MODE: 'compatible',
    WECHAT_API_BASE: await wechatApi.start(),
    WECHAT_REPLY_LIMIT: '2',
  })
})
afterEach(async () => {
  await server.stop()
  wechatApi.stop()
})

function plainPush(
  body: string,
  { timestamp, nonce } = signedMoment(),
  signature = sha1(TOKEN, timestamp, nonce),
) {
  return fetch(`${server.url}/wechat/callback?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
}

function encryptedPush(inner: string, tamper = false) {
  const encrypted = encryptWechatMessage(AES_KEY, inner, APP_ID)
  const { timestamp, nonce } = signedMoment()
  const signature = sha1(TOKEN, timestamp, nonce, encrypted)
  // Tampering changes the first hex digit, to one it is not (the ciphertext, and so the signature, is random).
  const tampered = `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`
  const query = `encrypt_type=aes&msg_signature=${tamper ? tampered : signature}&timestamp=${timestamp}&nonce=${nonce}`
  return fetch(`${server.url}/wechat/callback?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  })
}

const textPush = (openId: string, msgId: string, content: string) =>
  JSON.stringify({
    ToUserName: 'gh_kefu',
    FromUserName: openId,
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'text',
    Content: content,
    MsgId: msgId,
  })

const storedTexts = async (openId: string) => {
  const [conversation] = await server.server.repo.listConversations({
    customerId: `wx_${openId}` as never,
    limit: 1,
  })
  if (!conversation) return []
  return (await server.server.repo.listMessagesAfter(conversation.id, 0, 100))
    .filter((m) => m.kind === 'text')
    .map((m) => m.body)
}

describe('the WeChat customer-service callback', () => {
  it('answers the URL verification handshake only with the right signature', async () => {
    const good = await fetch(
      `${server.url}/wechat/callback?signature=${sha1(TOKEN, '1', 'n')}&timestamp=1&nonce=n&echostr=hello-wechat`,
    )
    expect(await good.text()).toBe('hello-wechat')
    const bad = await fetch(
      `${server.url}/wechat/callback?signature=${sha1('other', '1', 'n')}&timestamp=1&nonce=n&echostr=x`,
    )
    expect(bad.status).toBe(401)
  })

  it('stores plain and encrypted pushes as conversation messages, once per MsgId', async () => {
    expect(await (await plainPush(textPush('openid-a', '1001', '你好，我的订单呢？'))).text()).toBe('success')
    expect((await plainPush(textPush('openid-a', '1001', '你好，我的订单呢？'))).status).toBe(200)
    const xml = `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[openid-a]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[是加密的消息]]></Content><MsgId>1002</MsgId></xml>`
    expect((await encryptedPush(xml)).status).toBe(200)
    expect(await storedTexts('openid-a')).toEqual(['你好，我的订单呢？', '是加密的消息'])
    const [conversation] = await server.server.repo.listConversations({
      customerId: 'wx_openid-a' as never,
      limit: 1,
    })
    expect(conversation).toMatchObject({ channel: 'wechat', teamId: 'general' })
  })

  it('refuses forged pushes and stores nothing', async () => {
    const moment = signedMoment()
    expect(
      (
        await plainPush(
          textPush('openid-b', '2001', 'forged'),
          moment,
          sha1('wrong-token', moment.timestamp, moment.nonce),
        )
      ).status,
    ).toBe(401)
    expect((await encryptedPush(textPush('openid-b', '2002', 'forged'), true)).status).toBe(401)
    expect(await storedTexts('openid-b')).toEqual([])
  })

  it('sends agent replies through WeChat within the reply window, and says when it is used up', async () => {
    const agentToken = await server.agentToken('wx-agent', ['general'], 2)
    const agent = await server.connect(agentToken)
    await plainPush(textPush('openid-c', '3001', 'Can I change my address?'))
    const assigned = await agent.waitFor('conversation.assigned')
    const conversationId = assigned.conversation.id
    await agent.say(conversationId, 'Yes — which address?')
    await agent.say(conversationId, 'I can do it right now.')
    await expect
      .poll(() => wechatApi.sent.map((m) => m.text.content))
      .toEqual(['Yes — which address?', 'I can do it right now.'])
    expect(wechatApi.sent.every((m) => m.touser === 'openid-c')).toBe(true)
    // One token for both sends, and the "system busy" answer was retried, not lost.
    expect(wechatApi.tokenRequests).toBe(1)

    const window = await server.get<{ replyWindow: { remaining: number; closesAt: number } }>(
      `/api/conversations/${conversationId}`,
      agentToken,
    )
    expect(window.body.replyWindow.remaining).toBe(0)
    expect(window.body.replyWindow.closesAt).toBeGreaterThan(Date.now() + 47 * 3600_000)
    agent.send({ t: 'message.send', conversationId, cid: 'one-too-many', body: 'Anything else?' })
    expect(await agent.waitFor('error', (frame) => frame.ref === 'one-too-many')).toMatchObject({
      code: 'reply_window_closed',
    })
    expect((await storedTexts('openid-c')).includes('Anything else?')).toBe(false)

    // The customer writing again opens a new window.
    await plainPush(textPush('openid-c', '3002', 'Room 301, please.'))
    await agent.say(conversationId, 'Done.')
    await expect.poll(() => wechatApi.sent.length).toBe(3)
    await agent.close()
  })

  it('sends an emergency playbook’s banner once to a WeChat customer, who sees no banner of ours', async () => {
    const lead = await server.agentToken('wx-lead', ['general'], 0, 'supervisor')
    const on = await server.post('/api/playbooks/playbook-payment-outage/activate', {}, lead)
    expect(on.status).toBe(200)
    await plainPush(textPush('openid-pb', '4001', '支付失败了怎么办'))
    await expect
      .poll(() =>
        wechatApi.sent.filter((m) => m.touser === 'openid-pb').map((m) => m.text.content.slice(0, 8)),
      )
      .toEqual(['支付通道正在抢修', '您好，目前支付通'])
    // Both counted against WeChat's window of two since the customer wrote, as an agent's would.
    const [conversation] = await server.server.repo.listConversations({
      customerId: 'wx_openid-pb' as never,
      limit: 1,
    })
    const window = await server.get<{ replyWindow: { remaining: number } }>(
      `/api/conversations/${conversation?.id}`,
      lead,
    )
    expect(window.body.replyWindow.remaining).toBe(0)
    await plainPush(textPush('openid-pb', '4002', '好的'))
    // WeChat is sent only what was stored, and the push is answered once its consequences are
    // stored: nothing stored after the customer's words means nothing more goes to WeChat.
    expect((await storedTexts('openid-pb')).at(-1)).toBe('好的')
    expect(wechatApi.sent.filter((m) => m.touser === 'openid-pb')).toHaveLength(2)
  })

  it('takes a push WeChat retries after a failure half-way, and stores it once', async () => {
    const repo = server.server.repo
    const append = repo.appendMessage.bind(repo)
    const appendWhile = repo.appendMessageWhile.bind(repo)
    let failures = 1
    // The store fails once, as a full disk or a lost database connection would, on this push only,
    // whichever of its two ways to append the message takes.
    const failsOnce = (message: { cid: string }) => message.cid === 'wx_7001' && failures-- > 0
    const diskFull = () => Promise.reject(new Error('the disk is full'))
    repo.appendMessage = (message) => (failsOnce(message) ? diskFull() : append(message))
    repo.appendMessageWhile = (message, admits) =>
      failsOnce(message) ? diskFull() : appendWhile(message, admits)
    const push = textPush('openid-retry', '7001', '第一次没存上')
    expect((await plainPush(push)).status).toBe(500)
    expect((await plainPush(push)).status).toBe(200)
    expect((await plainPush(push)).status).toBe(200)
    expect(await storedTexts('openid-retry')).toEqual(['第一次没存上'])
  })

  it('holds pushes to what it can store: an over-long sender is refused, over-long or broken text is kept readable', async () => {
    const longSender = 'o'.repeat(301)
    expect((await plainPush(textPush(longSender, '5001', 'hi'))).status).toBe(400)
    expect(
      await server.server.repo.listConversations({ customerId: `wx_${longSender}` as never, limit: 1 }),
    ).toEqual([])

    expect((await plainPush(textPush('openid-long', '5002', `${'长'.repeat(19_999)}尾`))).status).toBe(200)
    const [long] = await storedTexts('openid-long')
    expect(long?.length).toBeLessThanOrEqual(4000)
    expect(long?.endsWith('…')).toBe(true)

    expect((await plainPush(textPush('openid-half', '5003', 'half \uD83D here'))).status).toBe(200)
    expect(await storedTexts('openid-half')).toEqual(['half \uFFFD here'])
  })

  it('keeps two messages whose 64-bit MsgIds differ only past 2^53 apart', async () => {
    const push = (msgId: string, content: string) =>
      `{"ToUserName":"gh_kefu","FromUserName":"openid-big","CreateTime":${Math.floor(Date.now() / 1000)},"MsgType":"text","Content":"${content}","MsgId":${msgId}}`
    expect((await plainPush(push('9007199254740993', 'first'))).status).toBe(200)
    expect((await plainPush(push('9007199254740992', 'second'))).status).toBe(200)
    expect(await storedTexts('openid-big')).toEqual(['first', 'second'])
  })

  it('refuses a replayed signature, a stale timestamp and one from the future, and stores nothing of them', async () => {
    const moment = signedMoment()
    expect((await plainPush(textPush('openid-r', '6001', 'the real one'), moment)).status).toBe(200)
    // A plain-mode signature covers token, timestamp and nonce only: replayed, it could carry any body.
    const replay = await plainPush(textPush('openid-r', '6002', 'a forged body'), moment)
    expect(replay.status).toBe(401)
    expect(await replay.json()).toMatchObject({ code: 'signature_invalid' })
    // A minute past the five-minute window each way: WeChat's timestamps are whole seconds, so one
    // second past the edge would be inside it whenever the server reads its clock late in a second.
    const now = Math.floor(Date.now() / 1000)
    for (const timestamp of [now - 360, now + 360]) {
      const late = await plainPush(
        textPush('openid-r', `late${timestamp}`, 'late'),
        signedMoment(String(timestamp)),
      )
      expect(late.status).toBe(401)
    }
    expect(await storedTexts('openid-r')).toEqual(['the real one'])
  })

  it('replies to a customer of the kefu3d WeChat mini-program over its socket, not through WeChat', async () => {
    const agentToken = await server.agentToken('mp-agent', ['general'], 2)
    const agent = await server.connect(agentToken)
    const customer = await server.connect(
      await server.customerToken({ userId: 'mini-1', name: '小程序用户', platform: 'wechat' }),
    )
    customer.send({ t: 'conversation.open', channel: 'wechat' })
    const { conversation } = await customer.waitFor('conversation.opened')
    expect(conversation).toMatchObject({ channel: 'wechat', delivery: 'kefu' })
    await agent.waitFor('conversation.assigned', (f) => f.conversation.id === conversation.id)
    await agent.say(conversation.id, '您好，请问有什么可以帮您？')
    await customer.waitFor('message.new', (f) => f.message.body === '您好，请问有什么可以帮您？')
    expect(wechatApi.sent).toEqual([])
    const view = await server.get<{ replyWindow?: unknown }>(
      `/api/conversations/${conversation.id}`,
      agentToken,
    )
    expect(view.body.replyWindow).toBeUndefined()
    await Promise.all([agent.close(), customer.close()])
  })
})

describe('the WeChat callback in safe mode', () => {
  let safe: TestServer
  beforeEach(async () => {
    // With an EncodingAESKey and no mode chosen, the callback takes encrypted pushes only.
    safe = await TestServer.start({
      WECHAT_TOKEN: TOKEN,
      WECHAT_APP_ID: APP_ID,
      WECHAT_APP_SECRET: 'secret',
      WECHAT_ENCODING_AES_KEY: AES_KEY,
      WECHAT_API_BASE: 'http://127.0.0.1:9',
    })
  })
  afterEach(async () => safe.stop())

  it('refuses a correctly signed plain push', async () => {
    const { timestamp, nonce } = signedMoment()
    const response = await fetch(
      `${safe.url}/wechat/callback?signature=${sha1(TOKEN, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: textPush('openid-s', '7001', 'plain'),
      },
    )
    expect(response.status).toBe(401)
    expect(await safe.server.repo.listConversations({ limit: 5 })).toEqual([])
  })
})
