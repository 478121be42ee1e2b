import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  CLIENT_DIST,
  framesDrawn,
  openPage,
  serverAndBrowserPerFile,
} from '../helpers/browser'
import { startServerWithLivekit } from '../helpers/livekit'

// The assistant answers first (BOT_FIRST), and in the hall it staffs the reception desk.
const live = serverAndBrowserPerFile(() => startServerWithLivekit({ CLIENT_DIST, BOT_FIRST: '1' }))
const JOIN_TIMEOUT_MS = 60_000

interface HallHook {
  room(): string | undefined
  self(): { x: number; z: number }
  bubbles(): Record<string, string>
  reception(): { name: string; pose: { x: number; z: number } } | undefined
}
const hall = <T>(page: Page, read: (hook: HallHook) => T): Promise<T> =>
  page.evaluate(`(${read.toString()})(window.__kefuHall)`) as Promise<T>
const hallJoined = () => (globalThis as unknown as { __kefuHall?: HallHook }).__kefuHall?.room() !== undefined

describe('the assistant in the 3D hall', () => {
  it('stands at the reception desk and answers the customer in speech bubbles', async () => {
    const customer = await openPage(live.browser, 'zh-CN')
    await customer.goto(`${live.server.url}/chat`)
    await customer.getByText('智能助手为您服务').waitFor()
    await customer.getByRole('button', { name: '进入 3D 服务大厅' }).click()
    await customer.waitForFunction(hallJoined, null, { timeout: JOIN_TIMEOUT_MS })

    // Behind the reception, between the customer at the entrance and the team desks.
    const reception = await hall(customer, (hook) => hook.reception())
    const self = await hall(customer, (hook) => hook.self())
    expect(reception?.name).toBe('智能助手')
    expect(Math.abs((reception?.pose.x ?? 99) - self.x)).toBeLessThan(1)
    expect(reception?.pose.z ?? 99).toBeLessThan(self.z)

    await customer.getByLabel('消息').fill('退款几天能到账啊')
    await customer.keyboard.press('Enter')
    await expect
      .poll(() => hall(customer, (hook) => hook.bubbles().bot ?? ''), { timeout: 15_000 })
      .toContain('智能助手')
    await framesDrawn(customer)
    await customer.screenshot({ path: join(ARTIFACTS_DIR, 'hall-assistant.png') })
    // A hang detector, not a latency check: the hall's join alone may take a minute in software.
  }, 180_000)
})
