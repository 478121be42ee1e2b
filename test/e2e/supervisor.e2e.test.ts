import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  customerMeetsAgent,
  openPage,
  serverAndBrowserPerFile,
  signInAsAgent,
} from '../helpers/browser'

const live = serverAndBrowserPerFile()

describe('the supervisor console', () => {
  it('follows a conversation an agent is working, live, without a reply box of its own', async () => {
    const { customer, agent } = await customerMeetsAgent(live.browser, live.server.url, 'alice')
    await customer.getByText('You are chatting with Alice Wang').waitFor()
    await customer.getByLabel('Message').fill('Can I change the delivery address?')
    await customer.keyboard.press('Enter')
    await agent.getByTestId('messages').getByText('Can I change the delivery address?').waitFor()

    const supervisor = await openPage(live.browser)
    await signInAsAgent(supervisor, live.server.url, 'sam')
    await supervisor.getByRole('heading', { name: 'Supervisor console' }).waitFor()
    await supervisor.getByRole('heading', { name: 'Being worked (1)' }).waitFor()
    await supervisor.getByTestId('conversation-row').getByText('Alice Wang ·').waitFor()
    await supervisor.getByTestId('conversation-row').first().click()
    await supervisor.getByTestId('messages').getByText('Can I change the delivery address?').waitFor()
    await supervisor.getByText('· with Alice Wang').waitFor()

    await agent.getByLabel('Message').fill('Yes, until it leaves the warehouse.')
    await agent.getByRole('button', { name: 'Send', exact: true }).click()
    await supervisor.getByTestId('messages').getByText('Yes, until it leaves the warehouse.').waitFor()
    await customer.getByLabel('Message').fill('Great, thanks!')
    await customer.keyboard.press('Enter')
    await supervisor.getByTestId('messages').getByText('Great, thanks!').waitFor()

    expect(await supervisor.getByLabel('Message').isDisabled()).toBe(true)
    expect(await supervisor.getByRole('button', { name: 'Available' }).count()).toBe(0)
    await supervisor.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-console.png') })

    // The conversation leaves for retention (nobody there is signed in, so it waits): general's lead stops
    // listing it; sam, who also leads retention, sees it in the queue.
    await live.server.agentToken('lead', ['general'], 0, 'supervisor')
    const lead = await openPage(live.browser)
    await signInAsAgent(lead, live.server.url, 'lead', 'pw')
    await lead.getByRole('heading', { name: 'Being worked (1)' }).waitFor()
    await agent.getByLabel('Transfer to team').selectOption('retention')
    await agent.getByRole('button', { name: 'Transfer' }).click()
    await supervisor.getByRole('heading', { name: 'Team queue (1)' }).waitFor()
    await lead.getByRole('heading', { name: 'Being worked (0)' }).waitFor()
    await lead.getByRole('heading', { name: 'Team queue (0)' }).waitFor()
  })
})
