import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  AvatarMotion,
  createHallLayout,
  decodePose,
  encodePose,
  encodeShowcase,
  SHOWCASE_TOPIC,
} from '@kefu/shared'
import { RoomBot } from '@kefu/signal'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, framesDrawn, launchChromium, screenshotVariance } from '../helpers/browser'
import { startServerWithLivekit } from '../helpers/livekit'
import { playTone, SAMPLE_RATE } from '../helpers/tone'

const here = dirname(fileURLToPath(import.meta.url))
const HALL_PAGE = join(here, '../../packages/client/dist-mp/wechat/packages/hall/pages/hall/index.js')
const HOST = join(here, '../helpers/wechatCanvasHost.browser.js')

let stack: Awaited<ReturnType<typeof startServerWithLivekit>>
let browser: Browser
beforeAll(async () => {
  stack = await startServerWithLivekit()
  // The host page is served by Playwright, which Chromium counts as the public internet: it would
  // refuse the page's socket to the loopback server that a phone reaches as its configured domain.
  // Its audio plays without a tap, as a mini-program's WebAudioContext does.
  browser = await launchChromium([
    '--disable-features=LocalNetworkAccessChecks',
    '--autoplay-policy=no-user-gesture-required',
  ])
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const PROJECT = join(here, '../../packages/client/dist-mp/wechat')
const LIMIT = 2 * 1024 * 1024

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('the WeChat mini-program hall (the built subpackage page under a WeChat-shaped canvas host)', () => {
  it('is a subpackage: three.js is not in the main package, and each package is under 2 MB', () => {
    const app = JSON.parse(readFileSync(join(PROJECT, 'app.json'), 'utf8')) as {
      subpackages: { root: string }[]
    }
    expect(app.subpackages.map((subpackage) => subpackage.root)).toEqual(['packages/hall'])
    const files = filesUnder(PROJECT)
    const inHall = (file: string) => file.startsWith(join(PROJECT, 'packages/hall'))
    const bytes = (list: string[]) => list.reduce((sum, file) => sum + statSync(file).size, 0)
    const main = files.filter((file) => !inHall(file))
    expect(bytes(main)).toBeLessThan(LIMIT)
    expect(bytes(files.filter(inHall))).toBeLessThan(LIMIT)
    for (const file of main.filter((name) => name.endsWith('.js')))
      expect(readFileSync(file, 'utf8').includes('WebGLRenderer'), file).toBe(false)
  })

  it('draws the hall on a WebGL 2 canvas, walks its customer to their agent’s desk, seen from LiveKit, and hears the agent where the agent stands', async () => {
    // The mini-program customer's conversation goes to an agent, who then staffs their desk in the
    // hall (from a browser, as LiveKit sees it).
    const agentToken = await stack.server.agentToken('mini-desk-agent', ['general'], 2)
    const agentSocket = await stack.server.connect(agentToken)
    const miniToken = await stack.server.customerToken({
      userId: 'mini-hall',
      name: '小程序顾客',
      platform: 'wechat',
    })
    const chat = await stack.server.connect(miniToken)
    const conversation = await chat.openConversation()
    await agentSocket.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversation.id)
    const seat = await stack.server.post<{ url: string; token: string }>('/api/hall/token', {}, agentToken)
    const web = new RoomBot()
    const seen: { x: number; z: number; heading: number }[] = []
    web.onData(({ identity, topic, payload }) => {
      const pose = topic === 'pose' && identity === 'u_mini-hall' ? decodePose(payload) : undefined
      if (pose?.ok) seen.push({ x: pose.value.x, z: pose.value.z, heading: pose.value.heading })
    })
    await web.join(seat.body.url, seat.body.token, { autoSubscribe: false })

    // The customer's chat stored their session; the hall page takes it from there.
    const page = await (await browser.newContext({ viewport: { width: 360, height: 640 } })).newPage()
    // The host page is on the server's origin, as a mini-program's requests go to its configured
    // domain, but it is no web page of the server's: it has none of its headers.
    const hostUrl = `${stack.server.url}/__wechat-canvas-host`
    await page.route(hostUrl, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><body style="margin:0"><canvas id="hall" style="display:block;width:360px;height:640px"></canvas></body>',
      }),
    )
    await page.goto(hostUrl)
    await page.evaluate(readFileSync(HOST, 'utf8'))
    // An iPhone (read when the page loads): the hall's voice is placed with gain and balance (the web's test covers HRTF with
    // the same audio graph).
    await page.evaluate(`window.__hallHost.platform = 'ios'`)
    await page.evaluate(
      `(function (module, exports) {${readFileSync(HALL_PAGE, 'utf8')}\n})({ exports: {} }, {})`,
    )
    await page.evaluate(`window.__hallHost.storage.set('kefu.session', ${JSON.stringify(miniToken)})`)
    await page.evaluate(
      `window.__hallHost.open({ server: ${JSON.stringify(encodeURIComponent(stack.server.url))} })`,
    )

    // Seated, with the browser's visitor in the roster.
    await expect
      .poll(() => page.evaluate('window.__hallPage.data.view'), { timeout: 30_000 })
      .toMatchObject({ notice: '', others: 1 })
    // The browser sees the mini-program customer, at the entrance, and then walking in.
    await expect.poll(() => seen.length, { timeout: 15_000 }).toBeGreaterThan(0)
    const start = seen.at(-1) ?? { x: 0, z: 0 }
    await page.evaluate("window.__hallHost.touch('onTouchStart', 180, 500)")
    await page.evaluate("window.__hallHost.touch('onTouchMove', 180, 440)")
    await expect.poll(() => (seen.at(-1)?.z ?? 99) - start.z, { timeout: 15_000 }).toBeLessThan(-1)
    await page.evaluate("window.__hallHost.touch('onTouchEnd')")

    // The agent stands at their desk; the page offers to walk there, and walks.
    const state = await stack.server.get<{ teams: { id: string; name: string }[] }>(
      '/api/hall/state',
      miniToken,
    )
    const desk = createHallLayout(state.body.teams).desks.find((candidate) => candidate.teamId === 'general')
    const behindDesk = desk?.agentSpots[0] ?? { x: 0, z: 0, heading: 0 }
    for (let seq = 1; seq <= 5; seq++) {
      const pose = { ...behindDesk, y: 0, motion: AvatarMotion.Idle, seq }
      await web.sendData(encodePose(pose), 'pose', { reliable: false })
    }
    await expect
      .poll(() => page.evaluate('window.__hallPage.data.view.guide'), { timeout: 15_000 })
      .toBe('走到 mini-desk-agent 的柜台')
    await page.evaluate('window.__hallPage.options.onWalkToDesk.call(window.__hallPage.instance)')
    const spot = desk?.customerSpot ?? { x: 99, z: 99 }
    await expect
      .poll(
        () => {
          const at = seen.at(-1)
          return at ? Math.hypot(at.x - spot.x, at.z - spot.z) : 99
        },
        { timeout: 20_000 },
      )
      .toBeLessThan(0.3)

    // The agent presents a product on the showcase: the hall shows it, with its price and link.
    const catalogue = await stack.server.get<{ products: { id: string; name: string }[] }>(
      '/api/products',
      miniToken,
    )
    const presented = catalogue.body.products[1] ?? { id: 'none', name: 'none' }
    await web.sendData(encodeShowcase({ productId: presented.id, rotation: 0.8 }), SHOWCASE_TOPIC)
    await expect
      .poll(() => page.evaluate('window.__hallPage.data.view.product'), { timeout: 10_000 })
      .toMatchObject({ name: presented.name, price: expect.stringMatching(/¥/) })

    // The docked chat is the conversation: the agent's reply shows there, the customer's goes out.
    await agentSocket.say(conversation.id, '您好，请到柜台来')
    await expect
      .poll(() => page.evaluate('window.__hallPage.data.view.chat.map((row) => row.text)'), {
        timeout: 10_000,
      })
      .toContain('您好，请到柜台来')
    await page.evaluate(`window.__hallHost.handle('onInput', { detail: { value: '我到了' } })`)
    await page.evaluate(`window.__hallHost.handle('onSend')`)
    await agentSocket.waitFor('message.new', (frame) => frame.message.body === '我到了')

    // The call, through the bridge (the mini-program has no WebRTC): the agent speaks a tone in the
    // conversation's own room, and the customer hears it from where the agent's avatar stands.
    await page.evaluate(`window.__hallHost.handle('onCallTap')`)
    await expect
      .poll(() => page.evaluate('window.__hallPage.data.view.call'), { timeout: 15_000 })
      .toBe('live')
    const voiceSeat = await stack.server.post<{ url: string; token: string }>(
      `/api/conversations/${conversation.id}/voice-token`,
      {},
      agentToken,
    )
    const agentVoice = new RoomBot()
    await agentVoice.join(voiceSeat.body.url, voiceSeat.body.token, { autoSubscribe: false })
    const stopTone = playTone(await agentVoice.publishAudio(SAMPLE_RATE), 660)
    const standBeside = async (side: -1 | 1) => {
      const me = seen.at(-1) ?? { x: 0, z: 0, heading: 0 }
      // The customer's right, for a heading as three.js's rotation.y (facing -z at 0).
      const right = { x: Math.cos(me.heading), z: -Math.sin(me.heading) }
      const at = { x: me.x + 2 * side * right.x, z: me.z + 2 * side * right.z, heading: 0 }
      for (let seq = 0; seq < 5; seq++)
        await web.sendData(
          encodePose({ ...at, y: 0, motion: AvatarMotion.Idle, seq: (side < 0 ? 10 : 20) + seq }),
          'pose',
          {
            reliable: false,
          },
        )
    }
    // Summed over a few frames: the bridge's stream arrives in buffers with gaps between them.
    const ears = () =>
      page.evaluate(`new Promise((resolve) => {
        const sum = { left: 0, right: 0 }
        let frames = 8
        const listen = () => {
          const now = window.__hallHost.ears()
          sum.left += now.left
          sum.right += now.right
          if (--frames === 0) resolve(sum)
          else requestAnimationFrame(listen)
        }
        requestAnimationFrame(listen)
      })`) as Promise<{ left: number; right: number }>
    const heardFrom = async (side: 'left' | 'right') => {
      const { left, right } = await ears()
      const [near, far] = side === 'left' ? [left, right] : [right, left]
      return near > 0.01 && near > 4 * far
    }
    await standBeside(-1)
    await expect.poll(() => heardFrom('left'), { timeout: 20_000 }).toBe(true)
    await standBeside(1)
    await expect.poll(() => heardFrom('right'), { timeout: 10_000 }).toBe(true)
    stopTone()

    await framesDrawn(page)
    const shot = await page.screenshot({ path: join(ARTIFACTS_DIR, 'hall-miniprogram.png') })
    expect(await screenshotVariance(page, shot)).toBeGreaterThan(12)
    // Leaving the hall with the call on: the bridge stops, and the chat page is told to call again.
    await page.evaluate('window.__hallHost.close()')
    expect(await page.evaluate(`window.__hallHost.storage.get('kefu.call.carried')`)).toBe(conversation.id)

    // Back in the hall once the agent has resolved the conversation: the docked chat asks for the
    // rating, and a star's tap rates it.
    agentSocket.send({ t: 'conversation.resolve', conversationId: conversation.id, code: 'answered' })
    await chat.waitFor('conversation.resolved')
    await page.evaluate(
      `window.__hallHost.open({ server: ${JSON.stringify(encodeURIComponent(stack.server.url))} })`,
    )
    await expect
      .poll(() => page.evaluate('window.__hallPage.data.view.askRating'), { timeout: 30_000 })
      .toBe(true)
    // The host does not render WXML: the tap is made as the template binds it.
    const wxml = readFileSync(join(PROJECT, 'packages/hall/pages/hall/index.wxml'), 'utf8')
    expect(wxml).toMatch(/class="star" data-score="\{\{item\}\}" bindtap="onRate"/)
    await page.evaluate(`window.__hallHost.handle('onRate', { currentTarget: { dataset: { score: 4 } } })`)
    const rated = await agentSocket.waitFor(
      'message.new',
      (frame) => frame.message.kind === 'event' && frame.message.body.includes('"rated"'),
    )
    expect(JSON.parse(rated.message.body)).toEqual({ event: 'rated', score: 4 })
    await expect.poll(() => page.evaluate('window.__hallPage.data.view.askRating')).toBe(false)
    await page.evaluate('window.__hallHost.close()')
    await Promise.all([agentVoice.leave(), web.leave(), chat.close(), agentSocket.close()])
  }, 240_000)
})
