import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DashboardFigure, QualityFigures } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { formatFigure } from '../../packages/client/src/dashboard/figures'
import { simulate } from '../../packages/signal/src/simulate/simulate'
import { startAlertReceiver } from '../helpers/alertReceiver'
import {
  ARTIFACTS_DIR,
  CLIENT_DIST,
  openPage,
  serverAndBrowserPerFile,
  signInAsAgent,
} from '../helpers/browser'
import { TestServer } from '../helpers/testServer'

const SECRET = 'dashboard-webhook-secret-1234'
let receiver: Awaited<ReturnType<typeof startAlertReceiver>>

const live = serverAndBrowserPerFile(async () => {
  receiver = await startAlertReceiver(SECRET)
  const rules = join(tmpdir(), `kefu-dashboard-rules-${process.pid}.json`)
  // The spike: first responses slower than 300 ms anywhere in general support.
  writeFileSync(
    rules,
    JSON.stringify({ thresholds: [{ figure: 'frt', teamId: 'general', above: 300, minCount: 2 }] }),
  )
  const server = await TestServer.start({
    CLIENT_DIST,
    ALERT_RULES_FILE: rules,
    ALERT_WEBHOOK_URL: receiver.url,
    ALERT_WEBHOOK_SECRET: SECRET,
    QUALITY_SAMPLE_MS: '250',
  })
  return {
    server,
    stop: async () => {
      await server.stop()
      receiver.server.close()
    },
  }
})

type Report = { overall: Record<keyof QualityFigures, { value: number | null }> }

describe('the supervisor dashboard', () => {
  it('shows the metrics API’s figures live while simulated traffic runs, and raises the FRT spike as an alert', async () => {
    const page = await openPage(live.browser)
    await signInAsAgent(page, live.server.url, 'sam')
    await page.getByRole('tab', { name: 'Dashboard' }).click()
    await page.getByTestId('dashboard').waitFor()
    await page.getByTestId('tile-frt-value').getByText('—').waitFor()

    // Simulated customers and the three demo agents, who take about half a second to type a reply.
    const result = await simulate({
      url: live.server.url,
      ratePerMin: 90,
      durationS: 6,
      vipShare: 0.2,
      abandonShare: 0,
      patienceS: 60,
      typingMs: 450,
      rateShare: 1,
      agents: ['alice', 'bob', 'carol'].map((login) => ({ login, password: 'kefu-demo' })),
      seed: 3,
    })
    expect(result.resolved).toBeGreaterThan(3)

    // The tiles show what GET /api/quality says of the same hour, pushed without reloading.
    const { body: sam } = await live.server.post<{ token: string }>('/api/agent/login', {
      login: 'sam',
      password: 'kefu-demo',
    })
    const lead = sam.token
    const now = Date.now()
    const { body: report } = await live.server.get<Report>(
      `/api/quality?from=${now - 3600_000}&to=${now + 1}`,
      lead,
    )
    for (const figure of [
      'frt',
      'asa',
      'aht',
      'ttr',
      'fcr',
      'csat',
      'serviceLevel',
      'abandonment',
    ] as const) {
      const expected = formatFigure(figure as DashboardFigure, report.overall[figure].value)
      expect(expected, figure).not.toBe('—')
      await expect
        .poll(() => page.getByTestId(`tile-${figure}-value`).textContent(), {
          timeout: 5000,
          message: figure,
        })
        .toBe(expected)
    }
    expect(await page.locator('[data-testid=agent-table] tbody tr').count()).toBe(3)
    await page.getByTestId('chart-emotion').locator('canvas').first().waitFor()

    // The spike is an alert on the dashboard and at the webhook, signed.
    const alert = page.getByTestId('alert').filter({ hasText: 'General support: First response' })
    await alert.waitFor()
    await expect.poll(() => receiver.received.length).toBeGreaterThan(0)
    expect(receiver.received.every((post) => post.valid)).toBe(true)
    // The dashboard scrolls inside the console: a tall viewport shows all of it.
    await page.setViewportSize({ width: 1280, height: 1400 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'dashboard.png') })
    await alert.getByRole('button', { name: 'Acknowledge' }).click()
    await alert.waitFor({ state: 'detached' })
  })
})
