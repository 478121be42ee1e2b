import { describe, expect, it } from 'vitest'
import { classifyEmotion } from '../emotion/classify'
import { EMPATHETIC_REPLIES, empatheticReply } from './empathy'

describe('the empathetic opening', () => {
  it('suggests an empathetic opening in the customer language for anger, none for a calm question', () => {
    expect(empatheticReply(classifyEmotion('你们这什么垃圾服务！！气死我了'), 'zh')).toBe(
      EMPATHETIC_REPLIES.zh.anger,
    )
    expect(empatheticReply(classifyEmotion('This is RIDICULOUS, worst service ever!!'), 'en')).toBe(
      EMPATHETIC_REPLIES.en.anger,
    )
    expect(empatheticReply(classifyEmotion('请问怎么开发票'), 'zh')).toBeUndefined()
    expect(empatheticReply(classifyEmotion('太好了，谢谢你'), 'zh')).toBeUndefined()
  })
})
