import type { Cancel, Clock } from '@kefu/shared'
import { repeatEvery } from '../clock'
import { LuaScript, type RedisLink } from './RedisLink'

// ARGV: holder, ttl. Takes a free lease or extends one the holder has; 1 when the holder has it now.
const TAKE = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`)

// ARGV: holder, channel to tell. Frees a lease only for its holder (an expired one may be another's now).
const GIVE_BACK = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], KEYS[1]) end
return 1`)

/**
 * Named leases in Redis: a key that names its holder and expires unless renewed, so what a node
 * holds (a voice room's scribe, a schedule, a lock) passes to another when it dies. The node renews
 * everything it holds every third of the lease's time.
 */
export class Leases {
  private readonly held = new Map<string, string>()
  readonly stop: Cancel

  constructor(
    private readonly link: RedisLink,
    clock: Clock,
    readonly ttlMs: number,
  ) {
    this.stop = repeatEvery(clock, ttlMs / 3, () => this.renew())
  }

  /** True when `holder` has the lease now (taken or already theirs). */
  async take(name: string, holder: string = this.link.nodeId): Promise<boolean> {
    const taken = (await this.link.run(TAKE, [name], [holder, this.ttlMs])) === 1
    if (taken) this.held.set(name, holder)
    return taken
  }

  /** Frees the lease if `holder` still has it, telling `channel` (a waiter may take it now). */
  async giveBack(name: string, holder: string = this.link.nodeId, channel = ''): Promise<void> {
    this.held.delete(name)
    await this.link.run(GIVE_BACK, [name], [holder, channel && this.link.key(channel)])
  }

  isHeld(name: string): boolean {
    return this.held.has(name)
  }

  private async renew(): Promise<void> {
    await Promise.all(
      [...this.held].map(async ([name, holder]) => {
        // A lease lost meanwhile (Redis restarted, a pause longer than the lease) is not ours any more.
        if (!(await this.take(name, holder).catch(() => true))) this.held.delete(name)
      }),
    )
  }
}
