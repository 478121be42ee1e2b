// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { bubbleLines } from './textures'

describe('a speech bubble’s lines', () => {
  it('keeps a short message on one line', () => {
    expect(bubbleLines('我到柜台了')).toEqual(['我到柜台了'])
    expect(bubbleLines('where is my parcel')).toEqual(['where is my parcel'])
  })

  it('wraps a long Chinese answer anywhere and English at spaces, at most three lines with …', () => {
    const answer =
      '退款审核通过后原路退回：微信和支付宝一般 1-3 个工作日，银行卡 3-7 个工作日。这个回答解决您的问题了吗？'
    const lines = bubbleLines(answer)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe('退款审核通过后原路退回：微信和')
    expect(lines[2]?.endsWith('…')).toBe(true)
    const english = bubbleLines('Refunds go back the way you paid within three working days')
    expect(english.length).toBeGreaterThan(1)
    for (const line of english) expect(line).not.toMatch(/^\s|\s$/)
    expect(english.join(' ')).toBe('Refunds go back the way you paid within three working days')
  })
})
