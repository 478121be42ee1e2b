import { join } from 'node:path'
import type { Message } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import {
  ARTIFACTS_DIR,
  customerMeetsAgent,
  openPage,
  serverAndBrowserPerFile,
  signInAsAgent,
} from '../helpers/browser'

const live = serverAndBrowserPerFile()

describe('the agent console, keyboard first', () => {
  it('inserts a canned reply, hands over with a note, the next agent resolves with a code, the customer rates', async () => {
    const { customer, agent: alice } = await customerMeetsAgent(live.browser, live.server.url, 'alice')
    await customer.getByText('You are chatting with Alice Wang').waitFor()
    await customer.getByLabel('Message').fill('My parcel has not arrived')
    await customer.keyboard.press('Enter')
    // The list shows the last message and that the customer waits for an answer.
    await alice.getByTestId('conversation-preview').getByText('My parcel has not arrived').waitFor()
    await alice
      .getByTestId('conversation-row')
      .getByText(/waiting \d+ s/)
      .waitFor()

    // The customer card: a guest on the web, one device online.
    await alice.getByTestId('customer-card').getByTestId('devices-online').getByText('1').waitFor()

    // `/ship`, Tab inserts the team's canned reply; Enter sends it.
    await alice.keyboard.press('Alt+m')
    await alice.keyboard.type('/ship')
    // Alice is in two teams: each team's reply of that name is offered, with the team beside it.
    await alice
      .getByRole('button', { name: /\/shipping/ })
      .first()
      .waitFor()
    await alice.keyboard.press('Tab')
    expect(await alice.getByLabel('Message').inputValue()).toContain('您的订单已出库')
    await alice.keyboard.press('Enter')
    await customer.getByText(/您的订单已出库/).waitFor()

    // The shortcut sheet, from the keyboard.
    await alice.locator('body').click({ position: { x: 5, y: 200 } })
    await alice.keyboard.press('?')
    await alice.getByTestId('shortcut-sheet').getByText('Resolve with the chosen resolution code').waitFor()
    await alice.keyboard.press('Escape')
    await alice.getByTestId('shortcut-sheet').waitFor({ state: 'detached' })

    // Alt+T goes to the transfer; the note is for the next agent only.
    await alice.keyboard.press('Alt+t')
    await alice.getByLabel('Transfer to team').selectOption('retention')
    await alice.getByLabel('Handover note').fill('Wants a refund if it is not there by Friday')
    await alice.keyboard.press('Enter')
    await alice.getByTestId('conversation-row').waitFor({ state: 'detached' })

    const bob = await openPage(live.browser)
    await signInAsAgent(bob, live.server.url, 'bob')
    await bob.getByTestId('conversation-row').first().click()
    await bob.getByTestId('handover-notes').getByText('Wants a refund if it is not there by Friday').waitFor()
    expect(await customer.getByText('Wants a refund').count()).toBe(0)
    await bob.getByLabel('Resolution code').selectOption('refunded')
    await bob.screenshot({ path: join(ARTIFACTS_DIR, 'agent-console.png') })
    await bob.keyboard.press('Alt+r')

    // The customer is asked for a rating, once.
    await customer.getByTestId('rating').waitFor()
    await customer.getByRole('button', { name: '4 stars' }).click()
    await customer.getByLabel('Anything else you want to tell us? (optional)').fill('Quick, thanks')
    await customer.getByRole('button', { name: 'Send rating' }).click()
    await customer.getByText('Your rating: ★★★★☆. Thank you!').waitFor()
    await customer.getByTestId('rating').waitFor({ state: 'detached' })

    const { body: sam } = await live.server.post<{ token: string }>('/api/agent/login', {
      login: 'sam',
      password: 'kefu-demo',
    })
    const { body: list } = await live.server.get<{ conversations: { id: string }[] }>(
      '/api/conversations?state=resolved',
      sam.token,
    )
    const id = list.conversations[0]?.id
    const { body: history } = await live.server.get<{ messages: Message[] }>(
      `/api/conversations/${id}/messages`,
      sam.token,
    )
    const events = history.messages
      .filter((message) => message.kind === 'event')
      .map((message) => JSON.parse(message.body) as Record<string, unknown>)
    expect(events.find((event) => event.event === 'resolved')).toMatchObject({
      by: 's_bob',
      code: 'refunded',
    })
    expect(events.find((event) => event.event === 'rated')).toEqual({
      event: 'rated',
      score: 4,
      comment: 'Quick, thanks',
    })
    const texts = history.messages.filter((message) => message.kind === 'text').map((message) => message.body)
    expect(texts.some((text) => text.startsWith('您的订单已出库'))).toBe(true)
  })
})
