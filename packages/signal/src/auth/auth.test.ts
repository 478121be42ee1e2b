import { describe, expect, it } from 'vitest'
import { hashPassword, verifyLogin, verifyPassword } from './passwords'
import { signProfile, verifyProfile } from './profileSignature'
import { SessionTokens } from './sessionTokens'

const SECRET = 'integrator-app-secret'
const NOW = 1_800_000_000_000

describe('signed customer profiles', () => {
  const profile = JSON.stringify({
    userId: 'u1',
    name: 'Ada',
    vipLevel: 5,
    lastPurchaseAt: null,
    platform: 'web',
    iat: NOW / 1000,
  })

  it('accepts a profile signed with the app secret', () => {
    const result = verifyProfile(profile, signProfile(profile, SECRET), SECRET, 3600, NOW)
    expect(result).toMatchObject({ ok: true, value: { userId: 'u1', vipLevel: 5 } })
  })

  it('refuses a profile whose VIP level was raised after signing', () => {
    const forged = profile.replace('"vipLevel":5', '"vipLevel":9')
    const result = verifyProfile(forged, signProfile(profile, SECRET), SECRET, 3600, NOW)
    expect(result).toMatchObject({ ok: false, error: { code: 'signature_invalid' } })
  })

  it('refuses a signature made with another secret, or no signature', () => {
    expect(verifyProfile(profile, signProfile(profile, 'other-secret-value'), SECRET, 3600, NOW).ok).toBe(
      false,
    )
    expect(verifyProfile(profile, '', SECRET, 3600, NOW).ok).toBe(false)
  })

  it('refuses a replayed profile older than the allowed age', () => {
    const result = verifyProfile(profile, signProfile(profile, SECRET), SECRET, 3600, NOW + 3601_000)
    expect(result).toMatchObject({ ok: false, error: { code: 'signature_invalid' } })
  })
})

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse')
    expect(hash.startsWith('scrypt$')).toBe(true)
    expect(await verifyPassword('correct horse', hash)).toBe(true)
    expect(await verifyPassword('wrong horse', hash)).toBe(false)
  })
})

describe('session tokens', () => {
  const tokens = new SessionTokens('x'.repeat(32))
  const session = { userId: 'u1', role: 'customer', displayName: 'Ada', teams: [], isGuest: false } as const

  it('round-trips a session', async () => {
    const token = await tokens.issue({ ...session, userId: session.userId as never, teams: [] }, 60)
    expect(await tokens.verify(token)).toMatchObject({ ok: true, value: { userId: 'u1', role: 'customer' } })
  })

  it('refuses a token signed with another secret', async () => {
    const other = await new SessionTokens('y'.repeat(32)).issue(
      { ...session, userId: session.userId as never, teams: [] },
      60,
    )
    expect(await tokens.verify(other)).toMatchObject({ ok: false, error: { code: 'token_invalid' } })
  })
})

describe('logins', () => {
  it('take the same scrypt work for an unknown login as for a wrong password', async () => {
    const hash = await hashPassword('correct horse')
    const timed = async (stored: string | undefined) => {
      const started = performance.now()
      expect(await verifyLogin('guess', stored)).toBe(false)
      return performance.now() - started
    }
    await timed(undefined)
    const unknown: number[] = []
    const wrong: number[] = []
    for (let i = 0; i < 5; i++) {
      unknown.push(await timed(undefined))
      wrong.push(await timed(hash))
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[2] ?? 0
    // Before: an unknown login answered in ~1.5 ms and a known one in ~100 ms.
    expect(median(unknown) / median(wrong)).toBeGreaterThan(0.5)
    expect(median(unknown) / median(wrong)).toBeLessThan(2)
    expect(await verifyLogin('correct horse', hash)).toBe(true)
  })
})
