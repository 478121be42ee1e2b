import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  CLIENT_DIST,
  openPage,
  serverAndBrowserPerFile,
  signInAsAgent,
} from '../helpers/browser'
import { TestServer } from '../helpers/testServer'

// The demo seeds the knowledge base (100 FAQ, five flows, the payment-outage playbook).
const live = serverAndBrowserPerFile(async () => {
  const server = await TestServer.start({ CLIENT_DIST })
  return { server, stop: () => server.stop() }
})

describe('the supervisor keeps the knowledge base and switches an emergency playbook', () => {
  it('asks the KB with scores, refuses a bad import by line, adds and retires an entry', async () => {
    const sam = await openPage(live.browser)
    await sam.setViewportSize({ width: 1280, height: 1500 })
    await signInAsAgent(sam, live.server.url, 'sam')
    await sam.getByRole('tab', { name: 'Knowledge' }).click()
    const table = sam.getByTestId('entry-table')
    await table.getByText('refund-time', { exact: true }).waitFor()

    await sam.getByLabel('Question').fill('退款几天能到账啊')
    await sam.getByRole('button', { name: 'Ask', exact: true }).click()
    const hits = sam.getByTestId('ask-hits')
    await hits.locator('li.answers').first().waitFor()
    expect(await hits.locator('li').first().textContent()).toMatch(/score \d+\.\d\d/)

    await sam
      .getByLabel('Entries to import')
      .fill(
        [
          '{"id":"fine-entry","tier":"faq","questions":["能开发票吗"],"answer":"可以","tags":[],"lang":"zh"}',
          '{"id":"broken-entry","tier":"faq","questions":[],"answer":"缺问题","tags":[],"lang":"zh"}',
        ].join('\n'),
      )
    await sam.getByRole('button', { name: 'Check and import' }).click()
    const refused = sam.getByTestId('import-refused')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('line 2, questions')
    expect(await table.getByText('fine-entry').count()).toBe(0)

    await sam.getByRole('button', { name: 'New FAQ entry' }).click()
    const editor = sam.getByTestId('entry-editor')
    await editor.getByLabel('Id', { exact: true }).fill('gift-wrap')
    await editor.getByLabel(/Questions/).fill('可以礼品包装吗\n能包装成礼物吗')
    await editor.getByLabel('Answer', { exact: true }).fill('可以，下单时在备注里写“礼品包装”，免费。')
    await editor.getByRole('button', { name: 'Save and publish' }).click()
    await table.getByText('gift-wrap', { exact: true }).waitFor()
    await sam.getByLabel('Question').fill('能不能帮我包装成礼物')
    await sam.getByRole('button', { name: 'Ask', exact: true }).click()
    await hits.locator('li').first().getByText('gift-wrap', { exact: true }).waitFor()

    const row = table.locator('tr').filter({ hasText: 'gift-wrap' })
    await row.getByRole('button', { name: 'Retire' }).click()
    await row.getByText('retired').waitFor()
    await sam.getByTestId('quarterly-review').scrollIntoViewIfNeeded()
    await sam.getByTestId('knowledge').evaluate((page) => page.scrollIntoView())
    await sam.screenshot({ path: join(ARTIFACTS_DIR, 'knowledge-page.png') })
  })

  it('switches the payment outage on: customers see the banner and its reply; off again: gone', async () => {
    const customer = await openPage(live.browser, 'zh-CN')
    await customer.goto(`${live.server.url}/chat`)
    await customer.getByLabel('消息').waitFor()

    const sam = await openPage(live.browser)
    await signInAsAgent(sam, live.server.url, 'sam')
    await sam.getByRole('tab', { name: 'Knowledge' }).click()
    sam.on('dialog', (dialog) => void dialog.accept())
    await sam
      .getByTestId('playbook-playbook-payment-outage')
      .getByRole('button', { name: 'Switch on' })
      .click()
    await sam.getByText('Switch off and restore').waitFor()
    // The console itself carries the banner, as every screen does.
    await sam.getByTestId('service-notice').waitFor()

    const banner = customer.getByTestId('service-notice')
    await banner.getByText('支付通道正在抢修').waitFor()
    await customer.getByLabel('消息').fill('付款一直失败怎么回事')
    await customer.keyboard.press('Enter')
    await customer.locator('.bubble.bot').filter({ hasText: '支付通道故障正在抢修' }).waitFor()
    await customer.screenshot({ path: join(ARTIFACTS_DIR, 'playbook-customer.png') })
    await sam.screenshot({ path: join(ARTIFACTS_DIR, 'playbook-console.png') })

    await sam.getByRole('button', { name: 'Switch off and restore' }).click()
    await banner.waitFor({ state: 'detached' })
    const log = sam.locator('.activation-log tbody tr').first()
    expect(await log.textContent()).toContain('Sam')
  })
})
