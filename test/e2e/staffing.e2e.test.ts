import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { agentsNeeded } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, openPage, serverAndBrowserPerFile, signInAsAgent } from '../helpers/browser'

const live = serverAndBrowserPerFile()

// A shop's day: opens at 08:00, a lunch peak, an evening peak, closes at 22:00.
const FORECAST = [
  'interval_start,arrivals',
  ...Array.from({ length: 48 }, (_, slot) => {
    const hour = slot / 2
    const open = hour >= 8 && hour < 22
    const peak = (hour >= 11.5 && hour < 13.5) || (hour >= 19 && hour < 21)
    const arrivals = open ? (peak ? 60 : 25) : 0
    return `${String(Math.floor(hour)).padStart(2, '0')}:${slot % 2 ? '30' : '00'},${arrivals}`
  }),
].join('\n')

describe('the staffing page', () => {
  it('staffs an uploaded forecast by Erlang C, plans three layers, exports the plan, and names a bad line', async () => {
    const page = await openPage(live.browser)
    await page.setViewportSize({ width: 1280, height: 900 })
    await signInAsAgent(page, live.server.url, 'sam')
    await page.getByRole('tab', { name: 'Staffing' }).click()
    await page.getByTestId('staffing').waitFor()
    await page.getByLabel('Handling time seconds').fill('240')
    await page.getByLabel('Forecast file').setInputFiles({
      name: 'forecast.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(FORECAST),
    })
    // The lunch peak's need, as Erlang C gives it for 60 arrivals in half an hour at 4 min each.
    const peakNeed = agentsNeeded({
      arrivals: 60,
      intervalS: 1800,
      ahtS: 240,
      target: { share: 0.8, withinS: 20 },
      maxOccupancy: 0.85,
      shrinkage: 0.3,
    }).scheduled
    await page
      .getByTestId('plan-peak')
      .getByText(/\d+ agents/)
      .waitFor()
    await page
      .getByTestId('plan-cost')
      .getByText(/saves \d+ %/)
      .waitFor()
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const csv = readFileSync(await (await download).path(), 'utf8').split('\n')
    expect(csv[0]).toBe('interval_start,needed,base,peak,part_time,covered')
    expect(csv).toHaveLength(49)
    const lunch = csv
      .find((row) => row.startsWith('12:00,'))
      ?.split(',')
      .map(Number)
    expect(lunch?.[1]).toBe(peakNeed)
    // Whoever works the interval, all layers together, covers its need.
    expect(lunch?.[5]).toBeGreaterThanOrEqual(peakNeed)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'staffing.png') })

    await page.getByLabel('Forecast file').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('09:00,12\n09:30,many\n'),
    })
    await page
      .getByTestId('staffing-problem')
      .getByText('broken.csv, line 2: arrivals must be a number')
      .waitFor()
  })
})
