import { asUserId, type Cancel, type Clock, type UserId } from '@kefu/shared'
import { repeatEvery } from '../clock'
import type { PresenceChange, PresenceStore } from '../ports/Presence'
import { LuaScript, type RedisLink } from './RedisLink'

const CHANNEL = 'presence'
// Keys: the devices of everyone, this node's share of them, every node that counts, this node's heartbeat.
const DEVICES = 'presence:devices'
const NODES = 'presence:nodes'
const nodeShare = (nodeId: string) => `presence:node:${nodeId}`
const alive = (nodeId: string) => `presence:alive:${nodeId}`

// ARGV: user, node, heartbeat ttl (ms), channel, devices to add.
const CONNECT = new LuaScript(`
redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[3])
local devices = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[5])
if devices == tonumber(ARGV[5]) then redis.call('PUBLISH', ARGV[4], '1' .. ARGV[1]) end
return devices`)

// ARGV: user, channel. Returns 1 when it was the user's last device, -1 when this node counted none.
const DISCONNECT = new LuaScript(`
local mine = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if mine <= 0 then return -1 end
if mine == 1 then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HINCRBY', KEYS[2], ARGV[1], -1) end
local devices = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if devices > 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], '0' .. ARGV[1])
return 1`)

// ARGV: key prefix, channel. Takes the devices of every node whose heartbeat expired off the count.
const REAP = new LuaScript(`
local reaped = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', ARGV[1] .. 'presence:alive:' .. node) == 0 then
    local share = ARGV[1] .. 'presence:node:' .. node
    local counts = redis.call('HGETALL', share)
    for i = 1, #counts, 2 do
      local devices = redis.call('HINCRBY', KEYS[1], counts[i], -tonumber(counts[i + 1]))
      if devices <= 0 then
        redis.call('HDEL', KEYS[1], counts[i])
        redis.call('PUBLISH', ARGV[2], '0' .. counts[i])
      end
    end
    redis.call('DEL', share)
    redis.call('SREM', KEYS[2], node)
    reaped = reaped + 1
  end
end
return reaped`)

// ARGV: ttl. 1 when the heartbeat was still there; 0 when it had expired (this node was reaped).
const BEAT = new LuaScript(`
local was = redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'GET')
return was and 1 or 0`)

export interface PresenceTiming {
  /** A node unheard this long is taken for dead and its users for offline. */
  heartbeatTtlMs: number
}

/**
 * Presence for a cluster: each node counts its own connections in a hash of its own and keeps a
 * heartbeat key alive; the sum is one hash, changed with each count in one script. Every node
 * reaps the share of a node whose heartbeat expired, so a dead node's users go offline within
 * `heartbeatTtlMs`. A node that finds itself reaped (a long pause, Redis restarted empty) counts
 * its live connections in again.
 */
export class RedisPresence implements PresenceStore {
  private readonly mine = new Map<UserId, number>()
  private readonly stopBeating: Cancel

  constructor(
    private readonly link: RedisLink,
    clock: Clock,
    private readonly timing: PresenceTiming = { heartbeatTtlMs: 10_000 },
  ) {
    this.stopBeating = repeatEvery(clock, timing.heartbeatTtlMs / 3, () => this.beat())
  }

  async connect(userId: UserId): Promise<boolean> {
    this.mine.set(userId, (this.mine.get(userId) ?? 0) + 1)
    return (await this.count(userId, 1)) === 1
  }

  async disconnect(userId: UserId): Promise<boolean> {
    const left = (this.mine.get(userId) ?? 0) - 1
    if (left > 0) this.mine.set(userId, left)
    else this.mine.delete(userId)
    const outcome = await this.link.run(
      DISCONNECT,
      [DEVICES, nodeShare(this.link.nodeId)],
      [userId, this.link.key(CHANNEL)],
    )
    return outcome === 1
  }

  async devices(userId: UserId): Promise<number> {
    return Number((await this.link.commands.hget(this.link.key(DEVICES), userId)) ?? 0)
  }

  async watch(onChange: PresenceChange): Promise<{ online: UserId[]; stop: Cancel }> {
    const stop = await this.link.subscribe(CHANNEL, (message) =>
      onChange(asUserId(message.slice(1)), message[0] === '1'),
    )
    const online = (await this.link.commands.hkeys(this.link.key(DEVICES))).map(asUserId)
    return { online, stop }
  }

  /** Leaves the cluster on purpose: this node's users are taken off the count now, not at expiry. */
  async close(): Promise<void> {
    this.stopBeating()
    await this.link.commands.del(this.link.key(alive(this.link.nodeId)))
    await this.reap()
  }

  private count(userId: UserId, devices: number): Promise<unknown> {
    const { nodeId } = this.link
    return this.link.run(
      CONNECT,
      [DEVICES, nodeShare(nodeId), NODES, alive(nodeId)],
      [userId, nodeId, this.timing.heartbeatTtlMs, this.link.key(CHANNEL), devices],
    )
  }

  private reap(): Promise<unknown> {
    return this.link.run(REAP, [DEVICES, NODES], [this.link.key(''), this.link.key(CHANNEL)])
  }

  private async beat(): Promise<void> {
    try {
      const { nodeId } = this.link
      const stillCounted = await this.link.run(BEAT, [alive(nodeId)], [this.timing.heartbeatTtlMs])
      if (stillCounted === 0 && this.mine.size > 0) {
        await this.link.commands.del(this.link.key(nodeShare(nodeId)))
        for (const [userId, devices] of this.mine) await this.count(userId, devices)
      }
      await this.reap()
    } catch {
      // Redis is away: the next beat tries again, and counts this node in again if it was reaped.
    }
  }
}
