import type { LocalMessage } from '@kefu/shared'
import { historyMessage } from '@kefu/shared/testing'
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { BotSource } from './BotSource'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const message = historyMessage
const answered = (citations?: string[]) =>
  JSON.stringify({
    event: 'bot.answered',
    entryId: 'refund-time',
    confidence: 0.917,
    quickReplies: [],
    ...(citations ? { citations } : {}),
  })

function shown(of: LocalMessage, messages: LocalMessage[]): string {
  const container = document.createElement('div')
  act(() => createRoot(container).render(<BotSource message={of} messages={messages} />))
  return container.textContent ?? ''
}

describe('the source of an assistant’s answer, in the console', () => {
  const answer = message(2, 'text', '1-3 个工作日到账')
  it('names the entry and how sure the assistant was', () => {
    expect(shown(answer, [answer, message(3, 'event', answered())])).toBe('KB refund-time · 92 %')
  })

  it('lists what a composed answer cites', () => {
    const history = [answer, message(3, 'event', answered(['refund-time', 'refund-card']))]
    expect(shown(answer, history)).toBe('KB refund-time · 92 % · cites refund-time, refund-card')
  })

  it('says nothing of a customer’s message, or of a bot line that answered nothing', () => {
    const customer = message(1, 'text', '退款多久到', 'customer')
    expect(shown(customer, [customer, message(2, 'event', answered())])).toBe('')
    const handOff = message(4, 'text', '正在为您转接人工客服')
    expect(
      shown(handOff, [
        handOff,
        message(5, 'event', JSON.stringify({ event: 'bot.handed_off', reason: 'not_helped' })),
      ]),
    ).toBe('')
  })
})
