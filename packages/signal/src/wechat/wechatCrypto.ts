import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// WeChat pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16.
const PAD_BLOCK = 32

/** WeChat's signature: SHA-1 of the parts sorted and concatenated (token, timestamp, nonce[, Encrypt]). */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
}

/** Compares a signature from a request with the expected one in constant time. */
export function isSignatureValid(given: string | undefined, ...parts: string[]): boolean {
  if (!given || !/^[0-9a-f]{40}$/i.test(given)) return false
  return timingSafeEqual(
    Buffer.from(given.toLowerCase(), 'hex'),
    Buffer.from(wechatSignature(...parts), 'hex'),
  )
}

function keyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (key.length !== 32) throw new Error('EncodingAESKey must be 43 characters of base64 (a 32-byte key)')
  return key
}

/**
 * Encrypts a reply as WeChat's safe mode expects: AES-256-CBC (IV = first 16 key bytes) over
 * random(16) | length(4, big-endian) | message | appId, padded to 32-byte blocks, base64.
 */
export function encryptWechatMessage(
  encodingAesKey: string,
  message: string,
  appId: string,
  random = randomBytes(16),
): string {
  const key = keyOf(encodingAesKey)
  const body = Buffer.from(message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')])
  const padLength = PAD_BLOCK - (plain.length % PAD_BLOCK)
  const padded = Buffer.concat([plain, Buffer.alloc(padLength, padLength)])
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64')
}

/** Decrypts a safe-mode payload; throws when it is malformed or addressed to another app. */
export function decryptWechatMessage(encodingAesKey: string, encrypted: string, appId: string): string {
  const key = keyOf(encodingAesKey)
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()])
  const padLength = padded[padded.length - 1] ?? 0
  if (padLength < 1 || padLength > PAD_BLOCK) throw new Error('Bad padding')
  const plain = padded.subarray(0, padded.length - padLength)
  const length = plain.readUInt32BE(16)
  const message = plain.subarray(20, 20 + length).toString('utf8')
  const addressedTo = plain.subarray(20 + length).toString('utf8')
  if (addressedTo !== appId) throw new Error('The message is for another app')
  return message
}
