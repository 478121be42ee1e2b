import type { UserId } from '@kefu/shared'

/** The LiveKit room of hall shard `n`. */
export const hallRoomName = (shard: number): string => `hall-${shard}`
/** The shard a hall room belongs to, or undefined for any other room (a conversation's). */
export function shardOfRoom(room: string): number | undefined {
  const match = /^hall-(\d+)$/.exec(room)
  return match ? Number(match[1]) : undefined
}

// A seat given with a token but not taken (no join seen) is freed after this long.
const UNCLAIMED_SEAT_MS = 60_000
// Connections heard leaving, so a join heard after its own leave is not taken for a new one.
const ENDED_CONNECTIONS_KEPT = 10_000

interface Seat {
  shard: number
  since: number
  /** The person's LiveKit connections in the room (a reconnect, a second tab): in while any is. */
  connections: Set<string>
}

/**
 * Who is in which instance of the hall. Each shard is one LiveKit room of at most `capacity`
 * people (poses and presence scale with the square of a room's size); a customer goes where their
 * agent is, so they can walk up to them. In-process: one node mints every hall token.
 */
export class HallShards {
  private readonly seats = new Map<UserId, Seat>()
  private readonly ended = new Set<string>()

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  /**
   * The shard for `userId`: the one they are in; else `companion`'s (a customer's agent) if it has
   * room; else the first with room. The seat is held from now on.
   */
  place(userId: UserId, companion?: UserId): number {
    this.dropUnclaimed()
    const own = this.seats.get(userId)
    if (own) return own.shard
    const companionShard = companion && this.seats.get(companion)?.shard
    const shard =
      companionShard !== undefined && this.occupancy(companionShard) < this.capacity
        ? companionShard
        : this.firstWithRoom()
    this.seats.set(userId, { shard, since: this.now(), connections: new Set() })
    return shard
  }

  /**
   * LiveKit says connection `connection` of `userId` joined a hall room. LiveKit's webhooks come
   * in no set order: a reconnect's join can arrive before the old connection's leave, which must
   * then not put the person out of the hall.
   */
  handleJoined(shard: number, userId: UserId, connection: string): void {
    if (this.ended.has(connection)) return
    const seat = this.seats.get(userId)
    if (seat?.shard === shard) seat.connections.add(connection)
    else this.seats.set(userId, { shard, since: this.now(), connections: new Set([connection]) })
  }

  /** LiveKit says that connection left: the seat is free once none of the person's is in. */
  handleLeft(shard: number, userId: UserId, connection: string): void {
    this.ended.add(connection)
    if (this.ended.size > ENDED_CONNECTIONS_KEPT)
      this.ended.delete(this.ended.values().next().value as string)
    const seat = this.seats.get(userId)
    if (seat?.shard !== shard) return
    seat.connections.delete(connection)
    if (seat.connections.size === 0) this.seats.delete(userId)
  }

  /** True while `userId` is in (or about to enter) a hall shard. */
  isInHall(userId: UserId): boolean {
    return (this.seats.get(userId)?.connections.size ?? 0) > 0
  }

  occupancy(shard: number): number {
    let count = 0
    for (const seat of this.seats.values()) if (seat.shard === shard) count++
    return count
  }

  private firstWithRoom(): number {
    for (let shard = 1; ; shard++) if (this.occupancy(shard) < this.capacity) return shard
  }

  private dropUnclaimed(): void {
    const cutoff = this.now() - UNCLAIMED_SEAT_MS
    for (const [userId, seat] of this.seats)
      if (seat.connections.size === 0 && seat.since < cutoff) this.seats.delete(userId)
  }
}
