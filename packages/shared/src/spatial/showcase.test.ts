import { describe, expect, it } from 'vitest'
import { decodeShowcase, encodeShowcase } from './showcase'

describe('the showcase packet', () => {
  it('carries what is presented and how it is turned', () => {
    const decoded = decodeShowcase(encodeShowcase({ productId: 'kf-phone-12', rotation: 1.25 }))
    expect(decoded).toEqual({ ok: true, value: { productId: 'kf-phone-12', rotation: 1.25 } })
    expect(decodeShowcase(encodeShowcase({ productId: null, rotation: 0 })).ok).toBe(true)
  })

  it('refuses what is not a showcase state', () => {
    const bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0))
    for (const text of [
      'nope',
      '{"productId":5,"rotation":0}',
      '{"productId":null,"rotation":1e9}',
      '{"productId":"a b","rotation":0}',
    ])
      expect(decodeShowcase(bytes(text))).toMatchObject({ ok: false, error: { code: 'bad_frame' } })
    expect(decodeShowcase(new Uint8Array([0xe4, 0xbd, 0xa0]))).toMatchObject({ ok: false })
  })
})
