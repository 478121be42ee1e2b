import { describe, expect, it } from 'vitest'
import { classifyEmotion } from '../emotion/classify'
import { decideBotTurn } from './botTurn'
import type { Hit, IndexedEntry } from './retrieval'

const entry = (id: string, tier: IndexedEntry['tier']): IndexedEntry => ({
  id,
  tier,
  questions: ['我要退款'],
  answer: 'x',
  lang: 'zh',
})
const hit = (id: string, tier: IndexedEntry['tier'], score: number, confidence: number): Hit => ({
  entry: entry(id, tier),
  score,
  confidence,
})
const turn = (hits: Hit[], text = '我要退款') =>
  decideBotTurn({
    text,
    emotion: classifyEmotion(text),
    hits,
    state: { awaitingFeedbackOn: undefined, handedOff: false },
  })

describe('the assistant’s choice of answer', () => {
  it('runs a flow that matches as well as the best FAQ, and not one that matches clearly worse', () => {
    expect(turn([hit('refund-apply', 'faq', 10, 0.9), hit('flow-refund', 'flow', 10, 0.9)])).toMatchObject({
      act: 'answer',
      hit: { entry: { id: 'flow-refund' } },
    })
    expect(turn([hit('refund-apply', 'faq', 10, 0.9), hit('flow-refund', 'flow', 7, 0.6)])).toMatchObject({
      act: 'answer',
      hit: { entry: { id: 'refund-apply' } },
    })
  })

  it('hands an angry customer who asks for a person over with the apology', () => {
    expect(turn([], '气死我了！！垃圾服务 转人工')).toMatchObject({ act: 'hand_off', reason: 'anger' })
    expect(turn([], '转人工')).toMatchObject({ act: 'hand_off', reason: 'asked_for_human' })
  })
})
