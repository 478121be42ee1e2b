import { describe, expect, it } from 'vitest'
import { classifyEmotion } from './classify'
import { moodOf, moodTrend } from './mood'

describe('the customer mood', () => {
  it('reads a conversation getting worse or better from its last messages', () => {
    const moods = (texts: string[]) => texts.map((text) => moodOf(classifyEmotion(text)))
    expect(moodTrend(moods(['请问快递到哪了', '怎么还没到', '气死我了！！垃圾']))).toBe('worsening')
    expect(moodTrend(moods(['气死我了！！垃圾', '好吧', '太好了，谢谢你']))).toBe('improving')
    expect(moodTrend(moods(['请问快递到哪了', '在哪个网点']))).toBe('steady')
    expect(moodTrend([])).toBe('steady')
  })
})
