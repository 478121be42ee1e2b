import { UNREADABLE_MESSAGE_BODY } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { describeEvent, describeRefusal } from './eventText'
import { createTranslator, isolated, pickLocale } from './i18n'

describe('the customer-facing texts', () => {
  it('speak Chinese first, English when the person prefers it, and follow an override', () => {
    expect(pickLocale([])).toBe('zh-CN')
    expect(pickLocale(['fr-FR'])).toBe('zh-CN')
    expect(pickLocale(['zh_CN'])).toBe('zh-CN')
    expect(pickLocale(['en-US', 'zh-CN'])).toBe('en')
    expect(pickLocale(['zh', 'en-US'])).toBe('zh-CN')
    expect(pickLocale([undefined, 'en-GB'])).toBe('en')
  })

  it('fill placeholders, in both languages', () => {
    const zh = createTranslator('zh-CN')
    const en = createTranslator('en')
    expect(zh('headline.position', { ahead: 2, position: 3 })).toBe('排队中，前面还有 2 位')
    expect(en('headline.position', { ahead: 2, position: 3 })).toBe('You are number 3 in line')
  })

  it('describe events and refusals from one catalogue', () => {
    const zh = createTranslator('zh-CN')
    const transfer = JSON.stringify({
      event: 'transferred',
      fromAgentId: null,
      toAgentId: 's_b',
      agentName: 'Bob',
    })
    expect(describeEvent(transfer, zh)).toBe('已转接给 Bob')
    expect(describeEvent('{broken', zh)).toBe('会话更新')
    expect(describeEvent(UNREADABLE_MESSAGE_BODY, zh)).toBe('此条消息无法显示，请更新应用后查看')
    expect(describeRefusal('reply_window_closed', zh)).toBe('未发送：对方暂时无法接收更多回复')
    expect(describeRefusal('internal', createTranslator('en'))).toBe('Not sent: refused by the server')
  })

  it('isolate names with right-to-left text or direction controls, and leave others alone', () => {
    const en = createTranslator('en')
    const override = 'Eve\u202Egnp.exe'
    expect(en('headline.chatting', { agent: override })).toBe(`You are chatting with \u2068${override}\u2069`)
    expect(isolated('مريم')).toBe('\u2068مريم\u2069')
    expect(en('headline.chatting', { agent: 'Alice Wang' })).toBe('You are chatting with Alice Wang')
    expect(isolated('王小明')).toBe('王小明')
  })
})
