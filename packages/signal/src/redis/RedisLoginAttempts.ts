import type { LoginAttempts, LoginRecord } from '../ports/LoginAttempts'
import { LuaScript, type RedisLink } from './RedisLink'

// An account unseen for this long starts afresh, as the single node's memory forgets its oldest.
const REMEMBERED_MS = 30 * 24 * 60 * 60 * 1000

// ARGV: when, how long to remember.
const FAILED = new LuaScript(`
redis.call('HINCRBY', KEYS[1], 'failures', 1)
local last = tonumber(redis.call('HGET', KEYS[1], 'lastFailedAt') or '0')
if tonumber(ARGV[1]) > last then redis.call('HSET', KEYS[1], 'lastFailedAt', ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])`)

// ARGV: address, how many to keep, how long to remember. The trusted addresses are a JSON list.
const SUCCEEDED = new LuaScript(`
local known = cjson.decode(redis.call('HGET', KEYS[1], 'trusted') or '[]')
local trusted = { ARGV[1] }
for _, address in ipairs(known) do
  if address ~= ARGV[1] and #trusted < tonumber(ARGV[2]) then table.insert(trusted, address) end
end
redis.call('HSET', KEYS[1], 'failures', 0, 'lastFailedAt', 0, 'trusted', cjson.encode(trusted))
redis.call('PEXPIRE', KEYS[1], ARGV[3])`)

/** Failed sign-ins every node shares: one Redis hash per login, each change one script. */
export class RedisLoginAttempts implements LoginAttempts {
  constructor(private readonly link: RedisLink) {}

  async read(login: string): Promise<LoginRecord | undefined> {
    const record = await this.link.commands.hgetall(this.link.key(keyOf(login)))
    if (record.failures === undefined) return undefined
    return {
      failures: Number(record.failures),
      lastFailedAt: Number(record.lastFailedAt ?? 0),
      trusted: JSON.parse(record.trusted ?? '[]') as string[],
    }
  }

  async failed(login: string, at: number): Promise<void> {
    await this.link.run(FAILED, [keyOf(login)], [at, REMEMBERED_MS])
  }

  async succeeded(login: string, address: string, keep: number): Promise<void> {
    await this.link.run(SUCCEEDED, [keyOf(login)], [address, keep, REMEMBERED_MS])
  }
}

const keyOf = (login: string) => `login:${login}`
