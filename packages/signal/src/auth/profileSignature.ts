import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  ErrorCode,
  err,
  KefuError,
  ok,
  type Result,
  type SignedProfile,
  SignedProfileSchema,
} from '@kefu/shared'

/**
 * Signs a profile the way an integrator's backend does: HMAC-SHA256 over the exact JSON text,
 * hex-encoded. The text is sent as-is, so no canonical JSON is needed on either side.
 */
export function signProfile(profileJson: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(profileJson, 'utf8').digest('hex')
}

/** Verifies a signed profile and its age; anything unverified is refused, never half-trusted. */
export function verifyProfile(
  profileJson: string,
  signature: string,
  appSecret: string,
  maxAgeS: number,
  nowMs: number,
): Result<SignedProfile, KefuError> {
  const expected = Buffer.from(signProfile(profileJson, appSecret), 'hex')
  const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature) ? signature : '', 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return err(new KefuError(ErrorCode.SignatureInvalid, 'The profile signature does not match'))
  }
  let json: unknown
  try {
    json = JSON.parse(profileJson)
  } catch {
    return err(KefuError.badRequest('The signed profile is not JSON'))
  }
  const parsed = SignedProfileSchema.safeParse(json)
  if (!parsed.success) return err(KefuError.badRequest(`Invalid profile: ${parsed.error.issues[0]?.message}`))
  const ageS = nowMs / 1000 - parsed.data.iat
  if (ageS > maxAgeS || ageS < -300) {
    return err(new KefuError(ErrorCode.SignatureInvalid, 'The signed profile is expired or from the future'))
  }
  return ok(parsed.data)
}
