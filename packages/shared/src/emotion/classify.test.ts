import { describe, expect, it } from 'vitest'
import { classifyEmotion } from './classify'

const read = (text: string) => classifyEmotion(text).emotion

describe('reading emotion from a message (Chinese, English, mixed)', () => {
  it('tells the five apart', () => {
    expect(read('你们这什么破服务，气死我了！！')).toBe('anger')
    expect(read('This is ridiculous, worst service ever')).toBe('anger')
    expect(read('订单怎么还没到，我很着急')).toBe('anxiety')
    expect(read('I am worried, it is urgent')).toBe('anxiety')
    expect(read('等了这么久还是坏的，好失望 😞')).toBe('sadness')
    expect(read('so disappointed and upset')).toBe('sadness')
    expect(read('问题解决了，谢谢你')).toBe('satisfaction')
    expect(read('Perfect, thanks a lot!')).toBe('satisfaction')
    expect(read('我想查一下订单号 20261202')).toBe('neutral')
    expect(read('Can I change the address?')).toBe('neutral')
  })

  it('turns a negated satisfaction into a complaint, and keeps a negation to its clause', () => {
    expect(read('一点都不满意')).toBe('anger')
    expect(read('I am not happy with this')).toBe('anger')
    expect(read('没问题，谢谢')).toBe('satisfaction')
  })

  it('weighs intensifiers, repeated punctuation, shouting and emoji', () => {
    const plain = classifyEmotion('有点生气').intensity
    expect(classifyEmotion('非常生气').intensity).toBeGreaterThan(plain)
    expect(classifyEmotion('有点生气！！！').intensity).toBeGreaterThan(plain)
    expect(read('WHERE IS MY ORDER')).toBe('anger')
    expect(read('SMS code VIP')).toBe('neutral')
    expect(read('好的 😡')).toBe('anger')
    expect(classifyEmotion('谢谢').intensity).toBeGreaterThan(0)
    expect(classifyEmotion('好的').intensity).toBe(0)
  })
})
