import { describe, expect, it } from 'vitest'
import { isVisiblyEmpty, isWellFormed, peopleText, toStorable } from './text'

describe('text people send', () => {
  it('is whole Unicode: a lone surrogate is refused, a pair (an emoji) is fine', () => {
    expect(isWellFormed('你好 😀')).toBe(true)
    expect(isWellFormed('broken \uD83D here')).toBe(false)
    expect(isWellFormed('\uDE00 trailing half')).toBe(false)
    expect(peopleText(10).safeParse('ok\uD800').success).toBe(false)
    expect(toStorable('a\uD83D😀b\uDE00')).toBe('a\uFFFD😀b\uFFFD')
  })

  it('holds no NUL, which PostgreSQL cannot store: refused from people, replaced from upstreams', () => {
    expect(peopleText(10).safeParse('a\u0000b').success).toBe(false)
    expect(peopleText(10).safeParse('a\u0007b').success).toBe(true)
    expect(toStorable('a\u0000b')).toBe('a\uFFFDb')
  })

  it('counts zero-width and control characters as nothing', () => {
    expect(isVisiblyEmpty('\u200B\u200C\u200D\uFEFF \n\t\u0007')).toBe(true)
    expect(isVisiblyEmpty('\u200B好')).toBe(false)
  })
})
