import type { Clock } from '@kefu/shared'
import type { RateLimits } from '../ports/RateLimits'
import { LuaScript, type RedisLink } from './RedisLink'

// `TokenBucket`'s rule (in @kefu/shared), run inside Redis so a take is one atomic step for every
// node. ARGV: now (ms), tokens per minute. The key outlives a full refill, then Redis forgets it.
const TAKE = new LuaScript(`
local now, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 60000 * burst)
local taken = tokens >= 1
if taken then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 120000)
return taken and 1 or 0`)

/** Token buckets every node shares, one Redis hash per key. */
export class RedisRateLimits implements RateLimits {
  constructor(
    private readonly link: RedisLink,
    private readonly clock: Clock,
  ) {}

  async take(key: string, perMinute: number): Promise<boolean> {
    return (await this.link.run(TAKE, [`rate:${key}`], [this.clock.now(), perMinute])) === 1
  }
}
