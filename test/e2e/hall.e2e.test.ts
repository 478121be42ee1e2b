import { join } from 'node:path'
import { AvatarMotion, encodePoseUp } from '@kefu/shared'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  customerMeetsAgent,
  framesDrawn,
  HALL_VIEWPORT,
  openPage,
  screenshotVariance,
  signInAsAgent,
  watchCsp,
} from '../helpers/browser'
import { serverWithLivekitAndBrowserPerFile } from '../helpers/livekit'

const live = serverWithLivekitAndBrowserPerFile()
// Joining LiveKit while another page renders WebGL in software on the same two cores has taken
// over 20 s; a real machine takes well under one.
const JOIN_TIMEOUT_MS = 60_000
// How long a walk may take here (what is measured is that it arrives; a real machine takes seconds).
const WALK_TIMEOUT_MS = 45_000

interface HallHook {
  room(): string | undefined
  self(): { x: number; z: number; heading: number }
  voices(): { identity: string; x: number; z: number }[]
  audition(x: number, z: number): Promise<{ left: number; right: number }>
  remotes(): { identity: string; name: string; role: string; x?: number; z?: number }[]
  bubbles(): Record<string, string>
  desks(): { teamId: string; x: number; z: number }[]
  showcase(): { productId: string | null; rotation: number } | undefined
}
const hall = <T>(page: Page, read: (hook: HallHook) => T): Promise<T> =>
  page.evaluate(`(${read.toString()})(window.__kefuHall)`) as Promise<T>
// A function, not a string: Playwright evaluates strings with eval, which the page's CSP refuses.
const hallJoined = () => (globalThis as unknown as { __kefuHall?: HallHook }).__kefuHall?.room() !== undefined
const remoteNamed = (page: Page, name: string) =>
  hall(page, (hook) => hook.remotes()).then((remotes) => remotes.find((remote) => remote.name === name))

describe('the 3D service hall (Chromium, real signal server and LiveKit)', () => {
  it('brings a customer and the agent staffing a desk into one hall, where each sees and follows the other', async () => {
    const { customer, agent } = await customerMeetsAgent(
      live.browser,
      live.server.url,
      'alice',
      HALL_VIEWPORT,
    )
    await customer.getByText('You are chatting with Alice Wang').waitFor()

    // The chat page has not loaded three.js: the hall is its own chunk.
    const loadedBefore = (await customer.evaluate(
      "performance.getEntriesByType('resource').map((entry) => entry.name)",
    )) as string[]
    expect(loadedBefore.some((name) => name.includes('HallView'))).toBe(false)

    await agent.getByRole('button', { name: 'Staff my desk' }).click()
    await agent.waitForFunction(hallJoined, null, { timeout: JOIN_TIMEOUT_MS })
    await customer.getByRole('button', { name: 'Enter the 3D hall' }).click()
    await customer.waitForFunction(hallJoined, null, {
      timeout: JOIN_TIMEOUT_MS,
    })
    expect(await hall(customer, (hook) => hook.room())).toBe(await hall(agent, (hook) => hook.room()))

    // Each sees the other's avatar, placed: the agent behind the general desk, the customer at the entrance.
    await expect
      .poll(() => remoteNamed(customer, 'Alice Wang').then((r) => r?.x), { timeout: 15_000 })
      .toBeDefined()
    await expect
      .poll(
        () =>
          hall(
            agent,
            (hook) => hook.remotes().filter((r) => r.role === 'customer' && r.x !== undefined).length,
          ),
        {
          timeout: 15_000,
        },
      )
      .toBe(1)
    const customerOnAgentSide = async () =>
      (await hall(agent, (hook) => hook.remotes().find((r) => r.role === 'customer')))?.z ?? Number.NaN

    // The customer walks towards the desks (W): the agent sees where it stopped (how soon is for
    // bench:hall to measure; here the frames are software-rendered on a shared machine).
    const before = await customerOnAgentSide()
    await customer.keyboard.down('KeyW')
    // Walking is per frame time with a cap on a frame's step: with two pages rendering in software
    // on two cores, frames can take a second, and a walk ten times as long.
    await expect
      .poll(() => hall(customer, (hook) => hook.self().z), { timeout: WALK_TIMEOUT_MS })
      .toBeLessThan(before - 1)
    await customer.keyboard.up('KeyW')
    const walkedTo = (await hall(customer, (hook) => hook.self())).z
    await expect.poll(customerOnAgentSide, { timeout: WALK_TIMEOUT_MS }).toBeLessThan(walkedTo + 0.15)

    // The agent staffs a desk, so the hall offers to walk the customer there.
    await customer.getByRole('button', { name: /Walk to Alice Wang/ }).click()
    const desk = (await hall(customer, (hook) => hook.desks())).find((d) => d.teamId === 'general')
    await expect
      .poll(
        async () => {
          const self = await hall(customer, (hook) => hook.self())
          return Math.hypot(self.x - (desk?.x ?? 0), self.z - (desk?.z ?? 0))
        },
        { timeout: WALK_TIMEOUT_MS },
      )
      .toBeLessThan(0.3)

    // Chat in the docked panel is the same conversation: a bubble over the avatar on both sides.
    await customer.getByLabel('Message').fill('我到柜台了')
    await customer.keyboard.press('Enter')
    await agent.getByText('我到柜台了').waitFor()
    await expect
      .poll(() => hall(agent, (hook) => Object.values(hook.bubbles())), { timeout: 5000 })
      .toContain('我到柜台了')
    await expect.poll(() => hall(customer, (hook) => Object.values(hook.bubbles()))).toContain('我到柜台了')

    // Voice in the hall: the agent hears the customer from where the customer's avatar stands.
    await customer.getByRole('button', { name: 'Talk by voice' }).click()
    await agent.getByRole('button', { name: 'Join the voice' }).click()
    await customer.getByRole('button', { name: 'End the voice' }).waitFor({ timeout: JOIN_TIMEOUT_MS })
    await agent.getByRole('button', { name: 'End the voice' }).waitFor({ timeout: JOIN_TIMEOUT_MS })
    await expect
      .poll(
        async () => {
          const [voice] = await hall(agent, (hook) => hook.voices())
          const seen = await hall(agent, (hook) => hook.remotes().find((r) => r.role === 'customer'))
          return voice && seen ? Math.hypot(voice.x - (seen.x ?? 99), voice.z - (seen.z ?? 99)) : 99
        },
        // Both follow the customer's avatar frame by frame: with slow frames they meet late.
        { timeout: WALK_TIMEOUT_MS },
      )
      .toBeLessThan(0.3)

    // The same audio graph, rendered offline: a voice to the left is heard on the left; far away, not at all.
    const me = await hall(agent, (hook) => hook.self())
    const leftOf = { x: me.x - 3 * Math.cos(me.heading), z: me.z + 3 * Math.sin(me.heading) }
    const heardLeft = (await agent.evaluate(`window.__kefuHall.audition(${leftOf.x}, ${leftOf.z})`)) as {
      left: number
      right: number
    }
    expect(heardLeft.left).toBeGreaterThan(heardLeft.right * 2)
    const heardFar = (await agent.evaluate(`window.__kefuHall.audition(${me.x + 40}, ${me.z})`)) as {
      left: number
      right: number
    }
    expect(heardFar.left + heardFar.right).toBe(0)
    // The same with gain and stereo pan, as iPhones and the smallest devices hear the hall.
    const simpleLeft = (await agent.evaluate(
      `window.__kefuHall.audition(${leftOf.x}, ${leftOf.z}, 'stereo')`,
    )) as { left: number; right: number }
    expect(simpleLeft.left).toBeGreaterThan(simpleLeft.right * 2)
    const simpleFar = (await agent.evaluate(
      `window.__kefuHall.audition(${me.x + 40}, ${me.z}, 'stereo')`,
    )) as {
      left: number
      right: number
    }
    expect(simpleFar.left + simpleFar.right).toBe(0)

    // Two calls fewer for the machine before the joins still to come (heard is what was checked).
    await customer.getByRole('button', { name: 'End the voice' }).click()
    await agent.getByRole('button', { name: 'End the voice' }).click()
    await customer.getByRole('button', { name: 'Talk by voice' }).waitFor()
    await agent.getByRole('button', { name: 'Join the voice' }).waitFor()

    // The agent presents a product on the showcase: the customer sees the same product, turned the same way.
    await agent.getByLabel('Present a product').selectOption('kf-phone-12')
    await agent.getByLabel('Turn the product').fill('1.5')
    await expect
      .poll(
        async () => {
          const shown = await hall(customer, (hook) => hook.showcase())
          return shown?.productId === 'kf-phone-12' && Math.abs(shown.rotation - 1.5) < 0.06
        },
        { timeout: 5000 },
      )
      .toBe(true)
    await customer
      .getByTestId('product-card')
      .getByText(/3,999\.00/)
      .waitFor()
    expect(await customer.getByRole('link', { name: 'View the product' }).getAttribute('href')).toBe(
      'https://shop.example.com/p/kf-phone-12',
    )

    // A WeChat mini-program customer, whose poses go over the signal socket, is in the same hall.
    const mini = await live.server.connect(
      await live.server.customerToken({ userId: 'wx-hall-visitor', name: '小程序顾客', platform: 'wechat' }),
    )
    mini.send({ t: 'hall.join' })
    await mini.waitFor('hall.joined', () => true, JOIN_TIMEOUT_MS)
    const miniSpot = { x: me.x + 1.5, z: me.z + 2 }
    let seq = 0
    await expect
      .poll(
        async () => {
          const pose = { ...miniSpot, y: 0, heading: 0, motion: AvatarMotion.Idle, seq: ++seq }
          mini.sendRaw(Buffer.from(encodePoseUp(pose)))
          const seen = await remoteNamed(customer, '小程序顾客')
          return seen?.x === undefined ? 99 : Math.hypot(seen.x - miniSpot.x, (seen.z ?? 99) - miniSpot.z)
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBeLessThan(0.05)

    // One LiveKit peer fewer for the machine before the next one joins (the join is the slow part).
    await mini.close()

    await framesDrawn(agent)
    const agentShot = await agent.screenshot({ path: join(ARTIFACTS_DIR, 'hall-agent.png') })
    expect(await screenshotVariance(agent, agentShot)).toBeGreaterThan(12)
    // The agent steps out to the console: one page fewer rendering in software while the supervisor joins.
    await agent.getByRole('button', { name: 'Back to the chat' }).click()

    // A supervisor walks the hall too, in supervisor orange, from beside the reception.
    const lead = await openPage(live.browser, 'en-US', HALL_VIEWPORT)
    await signInAsAgent(lead, live.server.url, 'sam')
    await lead.getByRole('button', { name: 'Walk the hall' }).click()
    await lead.waitForFunction(hallJoined, null, { timeout: JOIN_TIMEOUT_MS })
    await expect
      .poll(() => hall(customer, (hook) => hook.remotes().find((r) => r.role === 'supervisor')?.x), {
        timeout: 15_000,
      })
      .toBeDefined()

    await framesDrawn(customer)
    const customerShot = await customer.screenshot({ path: join(ARTIFACTS_DIR, 'hall-customer.png') })
    expect(await screenshotVariance(customer, customerShot)).toBeGreaterThan(12)

    // Leaving the hall returns to the chat with nothing lost.
    await customer.getByRole('button', { name: 'Back to the chat' }).click()
    await customer.getByText('我到柜台了').waitFor()
  }, 240_000)

  it('tells a browser without WebGL that the hall is not available, and keeps the chat', async () => {
    const context = watchCsp(await live.browser.newContext({ locale: 'zh-CN' }))
    // A browser with no WebGL at all: every 3D context is refused.
    await context.addInitScript(`
      const original = HTMLCanvasElement.prototype.getContext
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return kind === 'webgl2' || kind === 'webgl' ? null : original.call(this, kind, ...rest)
      }
    `)
    const page = await context.newPage()
    await page.goto(`${live.server.url}/chat`)
    await page.getByRole('button', { name: '进入 3D 服务大厅' }).click()
    await page.getByTestId('hall-unsupported').waitFor()
    expect(await page.getByTestId('hall-unsupported').textContent()).toContain('不支持 3D 大厅')
    await page.getByLabel('消息').fill('那我就在这里聊')
    await page.keyboard.press('Enter')
    await page.locator('.bubble', { hasText: '那我就在这里聊' }).waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'customer-chat-zh.png') })
    await context.close()
  })
})
