import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  CLIENT_DIST,
  expectNoCspViolations,
  launchChromium,
  openPage,
  signInAsAgent,
} from '../helpers/browser'
import { FakeWechatApi, sha1, signedMoment } from '../helpers/fakeWechat'
import { TINY_AAC, TINY_PNG } from '../helpers/media'
import { TestServer } from '../helpers/testServer'

const TOKEN = 'kefu-wechat-token'
let server: TestServer
let wechatApi: FakeWechatApi
let browser: Browser
beforeAll(async () => {
  wechatApi = new FakeWechatApi()
  wechatApi.busyAnswersLeft = 0
  server = await TestServer.start({
    CLIENT_DIST,
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_ID: 'wx0123456789abcdef',
    WECHAT_APP_SECRET: 'secret',
    WECHAT_API_BASE: await wechatApi.start(),
    WECHAT_REPLY_LIMIT: '2',
  })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  wechatApi?.stop()
  expectNoCspViolations()
})

describe('a WeChat conversation in the agent console', () => {
  it('shows the replies WeChat still allows and closes the reply box when none are left', async () => {
    const push = JSON.stringify({
      ToUserName: 'gh',
      FromUserName: 'openid-console',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: '我想退货',
      MsgId: '9001',
    })
    const { timestamp, nonce } = signedMoment()
    const signature = sha1(TOKEN, timestamp, nonce)
    await fetch(
      `${server.url}/wechat/callback?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
      {
        method: 'POST',
        body: push,
      },
    )

    const page = await openPage(browser)
    await signInAsAgent(page, server.url, 'alice')
    await page.getByTestId('conversation-row').first().click()
    await expect
      .poll(() => page.getByTestId('reply-window').textContent())
      .toMatch(/WeChat: 2 replies left until/)

    for (const reply of ['您好，可以退货。', '请在订单页点击"申请退货"。']) {
      await page.getByLabel('Message').fill(reply)
      await page.getByRole('button', { name: 'Send', exact: true }).click()
      await page.getByTestId('messages').getByText(reply).waitFor()
    }
    await expect
      .poll(() => page.getByTestId('reply-window').textContent())
      .toBe('WeChat allows no more replies until the customer writes again')
    expect(await page.getByLabel('Message').isDisabled()).toBe(true)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'agent-console-wechat.png') })
    await expect.poll(() => wechatApi.sent.map((m) => m.touser)).toEqual(['openid-console', 'openid-console'])
  })

  it('shows the photo and the voice note a mini-program customer sends, not empty bubbles', async () => {
    const token = await server.customerToken({ userId: 'mp-media', name: '小程序顾客', platform: 'wechat' })
    const upload = async (body: Buffer, type: string) =>
      (await (
        await fetch(`${server.url}/api/uploads`, {
          method: 'POST',
          headers: { 'content-type': type, authorization: `Bearer ${token}` },
          body,
        })
      ).json()) as { url: string; mime: string; bytes: number }
    const photo = await upload(TINY_PNG, 'image/png')
    const note = await upload(TINY_AAC, 'audio/aac')
    const customer = await server.connect(token)
    const conversation = await customer.openConversation()
    const page = await openPage(browser)
    // Alice, signed in since the test before, is the one online in general to take it.
    await signInAsAgent(page, server.url, 'alice')
    await customer.waitFor('conversation.assigned')
    customer.send({
      t: 'message.send',
      conversationId: conversation.id,
      cid: 'mp-photo',
      kind: 'image',
      body: '',
      attachment: photo,
    })
    customer.send({
      t: 'message.send',
      conversationId: conversation.id,
      cid: 'mp-voice',
      kind: 'voice',
      body: '',
      attachment: { ...note, durationMs: 3200 },
    })
    await page.getByTestId('conversation-row').filter({ hasText: '小程序顾客' }).click()
    const shown = page.getByTestId('messages').getByRole('img', { name: 'Photo' })
    await shown.waitFor()
    // Loaded, not a broken image: the page's policy lets this server's uploads in.
    await expect
      .poll(() => shown.evaluate((image) => (image as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0)
    const voice = page.getByTestId('messages').locator('audio')
    expect(await voice.getAttribute('src')).toBe(note.url)
    await page.getByTestId('messages').getByText('Voice note, 3 s').waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'agent-console-media.png') })
    await customer.close()
  })
})
