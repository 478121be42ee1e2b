import { createHmac, timingSafeEqual } from 'node:crypto'
import { ErrorCode, KefuError } from '@kefu/shared'

/** A signed post older or newer than this is refused: a captured one cannot be replayed later. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`, sent as `x-kefu-signature` beside
 * `x-kefu-timestamp` (milliseconds): the one format of every webhook kefu posts or accepts.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** Throws `signature_invalid` unless `signature` signs `body` at `timestamp`, within the tolerance of `now`. */
export function verifyWebhook(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  now: number,
): void {
  if (!timestamp || !signature) throw new KefuError(ErrorCode.SignatureInvalid, 'Signature headers missing')
  if (!/^\d{1,16}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SIGNATURE_TOLERANCE_MS)
    throw new KefuError(ErrorCode.SignatureInvalid, 'The signature timestamp is outside the allowed window')
  const expected = Buffer.from(signWebhook(secret, timestamp, body))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new KefuError(ErrorCode.SignatureInvalid, 'The signature does not match')
}
