import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, customerMeetsAgent, loudestHeard, openPage, signInAsAgent } from '../helpers/browser'
import { serverWithLivekitAndBrowserPerFile } from '../helpers/livekit'

const live = serverWithLivekitAndBrowserPerFile()

describe('a voice call between the customer page and the agent console', () => {
  it('rings the agent, carries audio both ways, and ends when one side hangs up', async () => {
    const { customer, agent } = await customerMeetsAgent(live.browser, live.server.url, 'alice')
    await customer.getByText('You are chatting with Alice Wang').waitFor()

    // Nothing is heard before anyone calls: there is no call to hear.
    expect(await customer.locator('[data-testid="voice-speakers"] audio').count()).toBe(0)

    await customer.getByRole('button', { name: 'Call' }).click()
    await customer.getByText('In the call, waiting for the other side').waitFor()
    await agent.getByText('would like to talk').waitFor()
    await agent.getByRole('button', { name: 'Join call' }).click()
    await agent.getByText(/In the call with Guest/).waitFor()
    await customer.getByText('In the call with Alice Wang').waitFor()

    const agentHears = await loudestHeard(agent)
    const customerHears = await loudestHeard(customer)
    expect(agentHears).toBeGreaterThan(0.01)
    expect(customerHears).toBeGreaterThan(0.01)
    // And the measure hears silence as silence: muted, the agent sends nothing.
    await agent.getByRole('button', { name: 'Mute' }).click()
    await agent.getByRole('button', { name: 'Unmute' }).waitFor()
    await expect.poll(() => loudestHeard(customer, 1500), { timeout: 10_000 }).toBeLessThan(0.005)
    await agent.getByRole('button', { name: 'Unmute' }).click()
    // The history records the call for everyone, from LiveKit's own webhooks.
    await agent.getByText('Voice call requested').waitFor()
    await agent.getByText('Alice Wang joined the call').waitFor()
    await agent.getByText('Alice Wang is on the microphone').waitFor()

    await customer.screenshot({ path: join(ARTIFACTS_DIR, 'voice-customer.png') })
    await agent.screenshot({ path: join(ARTIFACTS_DIR, 'voice-agent.png') })

    // A supervisor listens in: hears the call, unseen by either side and absent from the history.
    const supervisor = await openPage(live.browser)
    await signInAsAgent(supervisor, live.server.url, 'sam')
    await supervisor.getByTestId('conversation-row').first().click()
    await supervisor.getByRole('button', { name: 'Listen in' }).click()
    await supervisor.getByText(/Listening to .*Alice Wang/).waitFor()
    expect(await loudestHeard(supervisor)).toBeGreaterThan(0.01)
    expect(await supervisor.getByRole('button', { name: 'Mute' }).count()).toBe(0)
    await supervisor.screenshot({ path: join(ARTIFACTS_DIR, 'voice-supervisor.png') })
    await customer.getByText('In the call with Alice Wang', { exact: true }).waitFor()
    await agent.getByText(/^In the call with Guest \w+$/).waitFor()
    await supervisor.getByRole('button', { name: 'Stop listening' }).click()
    await supervisor.getByRole('button', { name: 'Listen in' }).waitFor()
    expect(await agent.getByText('Sam Chen joined the call').count()).toBe(0)

    await agent.getByRole('button', { name: 'Hang up' }).click()
    await agent.getByRole('button', { name: 'Join call' }).waitFor()
    await customer.getByText('In the call, waiting for the other side').waitFor()
    await expect.poll(() => customer.locator('[data-testid="voice-speakers"] audio').count()).toBe(0)
  })
})
