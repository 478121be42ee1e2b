import { historyMessage } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import { isWithAssistant, openQuickReplies } from './quickReplies'

const message = historyMessage
const answered = JSON.stringify({
  event: 'bot.answered',
  entryId: 'refund-time',
  confidence: 0.9,
  quickReplies: ['解决了', '没解决', '转人工'],
})

describe('the assistant’s quick replies', () => {
  it('are offered after its answer until the customer says anything', () => {
    const history = [
      message(1, 'text', '退款多久到', 'customer'),
      message(2, 'text', '1-3 个工作日'),
      message(3, 'event', answered),
    ]
    expect(openQuickReplies(history)).toEqual(['解决了', '没解决', '转人工'])
    expect(openQuickReplies([...history, message(4, 'text', '没解决', 'customer')])).toEqual([])
    expect(openQuickReplies([message(1, 'text', 'hi', 'customer')])).toEqual([])
  })
})

describe('whether the assistant holds the conversation', () => {
  const engaged = message(1, 'event', JSON.stringify({ event: 'bot.engaged', teamId: 'general' }))
  it('from its engagement until it hands off', () => {
    expect(isWithAssistant([engaged, message(2, 'text', '退款多久到', 'customer')])).toBe(true)
    const handedOff = message(3, 'event', JSON.stringify({ event: 'bot.handed_off', reason: 'not_helped' }))
    expect(isWithAssistant([engaged, handedOff])).toBe(false)
    expect(isWithAssistant([message(1, 'text', 'hi', 'customer')])).toBe(false)
  })
})
