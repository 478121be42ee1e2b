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

// The assistant answers first from the demo knowledge base (development seeds it).
const live = serverAndBrowserPerFile(async () => {
  const server = await TestServer.start({ CLIENT_DIST, BOT_FIRST: '1' })
  return { server, stop: () => server.stop() }
})

describe('the assistant answers first, a person takes over', () => {
  it('answers a question with quick replies; on 没解决 an agent takes over seeing the exchange and suggested answers', async () => {
    const customer = await openPage(live.browser, 'zh-CN')
    await customer.goto(`${live.server.url}/chat`)
    await customer.getByText('智能助手为您服务').waitFor()
    await customer.getByLabel('消息').fill('退款几天能到账啊')
    await customer.keyboard.press('Enter')

    // The assistant says it is a bot, answers from the knowledge base, and asks with chips.
    const answer = customer.locator('.bubble.bot').filter({ hasText: '1-3 个工作日' })
    await answer.waitFor()
    expect(await answer.textContent()).toContain('机器人')
    const chips = customer.getByTestId('quick-replies')
    await chips.getByRole('button', { name: '没解决' }).waitFor()
    expect(await chips.getByRole('button').allTextContents()).toEqual(['解决了', '没解决', '转人工'])
    await customer.screenshot({ path: join(ARTIFACTS_DIR, 'assistant-customer.png') })

    await chips.getByRole('button', { name: '没解决' }).click()
    await customer.getByText('抱歉没能帮上忙，正在为您转接人工客服').waitFor()
    await chips.getByRole('button').first().waitFor({ state: 'detached' })

    // Alice signs in after the hand-off: the conversation is routed to her.
    const alice = await openPage(live.browser)
    await signInAsAgent(alice, live.server.url, 'alice')
    await alice.getByTestId('conversation-row').first().click()
    await customer
      .getByText('Alice Wang')
      .or(customer.getByText('客服 Alice Wang 为您服务'))
      .first()
      .waitFor()
    // She reads the whole exchange: the question, the bot's answer marked as the bot's, the 没解决.
    const messages = alice.getByTestId('messages')
    await messages.getByText('退款几天能到账啊').waitFor()
    await messages.locator('.bubble.bot').filter({ hasText: '1-3 个工作日' }).first().waitFor()
    expect(await messages.locator('.bubble.bot .author').first().textContent()).toContain('Assistant')
    // Beside the assistant's answer: the entry it came from and how sure it was.
    expect(await messages.getByTestId('bot-source').first().textContent()).toMatch(/^KB refund-time · \d+ %/)
    await messages.getByText('没解决', { exact: true }).waitFor()

    // Suggested answers for the customer's question (not for "没解决"), with confidence.
    const suggestions = alice.getByTestId('suggestions')
    const refund = suggestions.getByRole('button').filter({ hasText: '1-3 个工作日' })
    await refund.first().waitFor()
    expect(await refund.first().textContent()).toMatch(/\d+ %/)
    await refund.first().click()
    expect(await alice.getByLabel('Message').inputValue()).toContain('1-3 个工作日')
    await alice.getByLabel('Message').fill('我帮您查了一下，退款已经原路退回，今天内到账。')
    await alice.keyboard.press('Enter')
    await customer.getByText('今天内到账').waitFor()
    await alice.screenshot({ path: join(ARTIFACTS_DIR, 'assistant-handoff-console.png') })
  })

  it('marks an angry customer in the console and suggests an empathetic opening first', async () => {
    const customer = await openPage(live.browser, 'zh-CN')
    await customer.goto(`${live.server.url}/chat`)
    await customer.getByText('智能助手为您服务').waitFor()
    await customer.getByLabel('消息').fill('物流怎么还没到？？')
    await customer.keyboard.press('Enter')
    await customer.getByLabel('消息').fill('什么垃圾服务！！气死我了，转人工')
    await customer.keyboard.press('Enter')
    await customer.getByText(/转接人工客服/).waitFor()

    // Alice, still signed in from the first test, is the one agent online: she gets it.
    const alice = await openPage(live.browser)
    await signInAsAgent(alice, live.server.url, 'alice')
    // The list previews the last message: the assistant's hand-off line.
    await alice.getByTestId('conversation-row').filter({ hasText: '转接人工客服' }).click()
    await alice.getByTestId('emotion-tag').filter({ hasText: 'angry' }).first().waitFor()
    await alice
      .getByTestId('customer-mood')
      .getByText(/angry · getting worse/)
      .waitFor()
    const first = alice.getByTestId('suggestions').getByRole('button').first()
    await first.getByText('Empathy first').waitFor()
    expect(await first.textContent()).toContain('非常抱歉让您这么生气')
    await alice.screenshot({ path: join(ARTIFACTS_DIR, 'assistant-angry-console.png') })
  })
})
