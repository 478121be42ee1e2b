import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>

// OWASP's scrypt minimum (N=2^17, r=8, p=1) costs ~128 MiB per hash; this keeps N=2^15 with a
// 64 MiB cap so logins stay fast on small machines while remaining far from brute-forceable.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_BYTES = 32

/** Hashes a password as `scrypt$N$r$p$salt$hash` so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, KEY_BYTES, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

// A real hash of a password nobody has: checked for unknown logins, so they take as long as known
// ones. Made on the first unknown login, not at start-up.
let nobodyHash: Promise<string> | undefined
const hashOfNobody = () => {
  nobodyHash ??= hashPassword(randomBytes(18).toString('base64'))
  return nobodyHash
}

/**
 * Checks a password for an account that may not exist: the same scrypt work either way, so how
 * long a login takes does not tell whether the login exists.
 */
export async function verifyLogin(password: string, stored: string | undefined): Promise<boolean> {
  const matches = await verifyPassword(password, stored ?? (await hashOfNobody()))
  return stored !== undefined && matches
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem }
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, options)
  return timingSafeEqual(key, expected)
}
