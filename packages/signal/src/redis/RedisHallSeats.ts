import type { UserId } from '@kefu/shared'
import { ENDED_CONNECTIONS_KEPT, type HallSeats, UNCLAIMED_SEAT_MS } from '../ports/HallSeats'
import { LuaScript, type RedisLink } from './RedisLink'

// The same rules as `LocalHallSeats`, each placement one script so two nodes cannot fill a seat twice.
// Keys: seats (a hash of person → {shard, since, connections}), ended connections (a sorted set by when).
const SEATS = 'hall:seats'
const ENDED = 'hall:ended'

// ARGV: person, companion ('' for none), capacity, now, unclaimed-seat age.
const PLACE = new LuaScript(`
local now, capacity = tonumber(ARGV[4]), tonumber(ARGV[3])
local occupancy, shardOf = {}, {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local seat = cjson.decode(all[i + 1])
  if next(seat.connections) == nil and seat.since < now - tonumber(ARGV[5]) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    occupancy[seat.shard] = (occupancy[seat.shard] or 0) + 1
    shardOf[all[i]] = seat.shard
  end
end
if shardOf[ARGV[1]] then return shardOf[ARGV[1]] end
local shard = ARGV[2] ~= '' and shardOf[ARGV[2]]
if not shard or occupancy[shard] >= capacity then
  shard = 1
  while (occupancy[shard] or 0) >= capacity do shard = shard + 1 end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ shard = shard, since = now, connections = {} }))
return shard`)

// ARGV: shard, person, connection, now.
const JOINED = new LuaScript(`
if redis.call('ZSCORE', KEYS[2], ARGV[3]) then return 0 end
local shard = tonumber(ARGV[1])
local stored = redis.call('HGET', KEYS[1], ARGV[2])
local seat = stored and cjson.decode(stored)
if not seat or seat.shard ~= shard then seat = { shard = shard, since = tonumber(ARGV[4]), connections = {} } end
seat.connections[ARGV[3]] = true
redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(seat))
return 1`)

// ARGV: shard, person, connection, now, ended connections kept.
const LEFT = new LuaScript(`
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -tonumber(ARGV[5]) - 1)
local stored = redis.call('HGET', KEYS[1], ARGV[2])
if not stored then return 0 end
local seat = cjson.decode(stored)
if seat.shard ~= tonumber(ARGV[1]) then return 0 end
seat.connections[ARGV[3]] = nil
if next(seat.connections) == nil then redis.call('HDEL', KEYS[1], ARGV[2])
else redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(seat)) end
return 1`)

/** The hall's seats for a cluster, in Redis: every node places people into the same shards. */
export class RedisHallSeats implements HallSeats {
  constructor(
    private readonly link: RedisLink,
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  async place(userId: UserId, companion?: UserId): Promise<number> {
    const args = [userId, companion ?? '', this.capacity, this.now(), UNCLAIMED_SEAT_MS]
    return Number(await this.link.run(PLACE, [SEATS], args))
  }

  async joined(shard: number, userId: UserId, connection: string): Promise<void> {
    await this.link.run(JOINED, [SEATS, ENDED], [shard, userId, connection, this.now()])
  }

  async left(shard: number, userId: UserId, connection: string): Promise<void> {
    const args = [shard, userId, connection, this.now(), ENDED_CONNECTIONS_KEPT]
    await this.link.run(LEFT, [SEATS, ENDED], args)
  }

  async isInHall(userId: UserId): Promise<boolean> {
    const stored = await this.link.commands.hget(this.link.key(SEATS), userId)
    if (!stored) return false
    return Object.keys((JSON.parse(stored) as { connections: object }).connections).length > 0
  }
}
