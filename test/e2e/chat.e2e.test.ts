import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, customerMeetsAgent, serverAndBrowserPerFile } from '../helpers/browser'

const live = serverAndBrowserPerFile()

describe('customer and agent in two browser tabs', () => {
  it('chat both ways through the real server', async () => {
    const { customer: customerPage, agent: agentPage } = await customerMeetsAgent(
      live.browser,
      live.server.url,
      'alice',
    )

    await customerPage.getByText('You are chatting with Alice Wang').waitFor()
    await customerPage.getByLabel('Message').fill('Hello, my parcel has not arrived')
    await customerPage.keyboard.press('Enter')
    await agentPage.getByTestId('messages').getByText('Hello, my parcel has not arrived').waitFor()

    await agentPage.getByLabel('Message').fill('Sorry about that — it arrives tomorrow.')
    await agentPage.getByRole('button', { name: 'Send', exact: true }).click()
    await customerPage.getByText('Sorry about that — it arrives tomorrow.').waitFor()
    // The customer's page shows it read the reply, and the agent sees the receipt.
    await agentPage.locator('.bubble.mine .meta', { hasText: 'Read' }).waitFor()

    await customerPage.screenshot({ path: join(ARTIFACTS_DIR, 'customer-chat.png') })
    await agentPage.screenshot({ path: join(ARTIFACTS_DIR, 'agent-console.png') })
    const bubbles = await customerPage.getByTestId('bubble').allTextContents()
    expect(bubbles.map((text) => text.replace(/\d\d:\d\d.*$/, '').trim())).toEqual([
      'Hello, my parcel has not arrived',
      'Sorry about that — it arrives tomorrow.',
    ])

    await customerPage.reload()
    await customerPage.getByText('Sorry about that — it arrives tomorrow.').waitFor()
  })
})
