import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptWechatMessage, encryptWechatMessage, isSignatureValid, wechatSignature } from './wechatCrypto'

// The sample values of WeChat's own message-encryption sample code (WXBizMsgCryptTest).
const SAMPLE = {
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: 'aaaabbbbccccdddd',
  message: '我是中文abcd123',
  encrypted: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
}

describe('WeChat message encryption', () => {
  it('produces exactly the ciphertext of WeChat’s sample', () => {
    const encrypted = encryptWechatMessage(
      SAMPLE.encodingAesKey,
      SAMPLE.message,
      SAMPLE.appId,
      Buffer.from(SAMPLE.random),
    )
    expect(encrypted).toBe(SAMPLE.encrypted)
  })

  it('decrypts WeChat’s sample back to its message', () => {
    expect(decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.encrypted, SAMPLE.appId)).toBe(SAMPLE.message)
  })

  it('refuses a payload addressed to another app', () => {
    expect(() => decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.encrypted, 'wx0000000000000000')).toThrow(
      'another app',
    )
  })

  it('round-trips long multi-block messages', () => {
    const long = '客服'.repeat(500)
    const encrypted = encryptWechatMessage(SAMPLE.encodingAesKey, long, SAMPLE.appId)
    expect(decryptWechatMessage(SAMPLE.encodingAesKey, encrypted, SAMPLE.appId)).toBe(long)
  })
})

describe('WeChat signatures', () => {
  it('is SHA-1 over the sorted parts, as documented', () => {
    const parts = ['pamtest', '1409304348', 'xxxxxx', SAMPLE.encrypted]
    const expected = createHash('sha1')
      .update([...parts].sort().join(''))
      .digest('hex')
    expect(wechatSignature(...parts)).toBe(expected)
    expect(isSignatureValid(expected, ...parts)).toBe(true)
    expect(
      isSignatureValid(
        expected.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
        ...parts,
      ),
    ).toBe(false)
    expect(isSignatureValid(undefined, ...parts)).toBe(false)
  })
})
