import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { signProfile } from '@kefu/signal'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  CLIENT_DIST,
  expectNoCspViolations,
  launchChromium,
  openPage,
} from '../helpers/browser'
import { TEST_APP_SECRET, TestServer } from '../helpers/testServer'

let kefu: TestServer
let shop: Server
let shopUrl: string
let snoop: Server
let snoopUrl: string
let browser: Browser

/** A page on its own origin: loopback, a port of its own. */
async function site(host: string, html: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8')
    response.end(html())
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}/` }
}

beforeAll(async () => {
  // The integrator's own site, on another origin, with nothing but the script tag.
  ;({ server: shop, url: shopUrl } = await site(
    'localhost',
    () => `<!doctype html><html><body style="font-family:system-ui;background:#fafafa">
      <h1>Tea shop</h1><p>Oolong, 250 g — ¥128</p>
      <script src="${kefu.url}/widget.js"></script></body></html>`,
  ))
  // Someone else's page that frames the chat directly and records whatever the frame posts.
  ;({ server: snoop, url: snoopUrl } = await site(
    '127.0.0.1',
    () => `<!doctype html><html><body><script>window.heard = []
      addEventListener('message', (event) => window.heard.push(event.data))</script>
      <iframe id="chat" src="${kefu.url}/chat?embed=1" style="width:400px;height:600px"></iframe></body></html>`,
  ))
  kefu = await TestServer.start({ CLIENT_DIST, EMBED_ORIGINS: new URL(shopUrl).origin })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  shop?.close()
  snoop?.close()
  await kefu?.stop()
  expectNoCspViolations()
})

describe('the web widget on someone else’s page', () => {
  it('opens, chats, counts unread while closed, and keeps the history across a reload', async () => {
    const agent = await kefu.connect(await kefu.agentToken('widget-agent', ['general'], 2))
    const page = await openPage(browser)
    await page.goto(shopUrl)
    const launcher = page.locator('button.kefu-launcher')
    await launcher.click()
    const chat = page.frameLocator('iframe.kefu-panel')
    await chat.getByText('You are chatting with widget-agent').waitFor()

    await chat.getByLabel('Message').fill('Is the oolong in stock?')
    await chat.getByLabel('Message').press('Enter')
    const asked = await agent.waitFor(
      'message.new',
      (frame) => frame.message.body === 'Is the oolong in stock?',
    )
    await agent.say(asked.message.conversationId, 'Yes, three left.')
    await chat.getByText('Yes, three left.').waitFor()

    await launcher.click()
    await agent.say(asked.message.conversationId, 'Shall I reserve one for you?')
    await expect.poll(() => page.locator('.kefu-badge').textContent(), { timeout: 10_000 }).toBe('1')
    expect(await page.locator('.kefu-badge').isVisible()).toBe(true)

    await page.reload()
    await page.locator('button.kefu-launcher').click()
    const reloaded = page.frameLocator('iframe.kefu-panel')
    for (const text of ['Is the oolong in stock?', 'Yes, three left.', 'Shall I reserve one for you?']) {
      await reloaded.getByText(text).waitFor()
    }
    await reloaded.getByText('You are chatting with widget-agent').waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'widget-on-shop.png') })

    const profile = JSON.stringify({
      userId: 'widget-vip',
      name: 'Vera',
      vipLevel: 5,
      iat: Math.floor(Date.now() / 1000),
    })
    await page.evaluate(
      ([p, s]) => (globalThis as unknown as KefuHost).kefu?.setUser(p as string, s as string),
      [profile, signProfile(profile, TEST_APP_SECRET)],
    )
    await expect
      .poll(
        async () =>
          (await kefu.server.repo.listConversations({ customerId: 'u_widget-vip' as never, limit: 5 }))[0]
            ?.teamId,
        { timeout: 10_000 },
      )
      .toBe('premium')
    await agent.close()
  })

  it('cannot be framed by a page that is not an allowed embedder, which hears nothing', async () => {
    // Not a watched page: the refusal below is what this test wants the CSP to do.
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage()
    const refusals: string[] = []
    page.on('console', (message) => {
      if (message.text().includes('frame-ancestors')) refusals.push(message.text())
    })
    await page.goto(snoopUrl)
    await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await page.frameLocator('#chat').getByText('Waiting for an agent').count()).toBe(0)
    // Refused before its document loaded, the frame never ran a script that could have posted.
    expect(await page.evaluate('window.heard')).toEqual([])
    await page.context().close()
  })
})

interface KefuHost {
  kefu?: { setUser(profile: string, signature: string): void }
}
