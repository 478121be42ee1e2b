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

/**
 * Who is in which instance of the hall. Each shard is one LiveKit room of at most `capacity`
 * people (poses and presence scale with the square of a room's size); a customer goes where their
 * agent is, so they can walk up to them. In-process: one node mints every hall token.
 */
export class HallShards {
  private readonly seats = new Map<UserId, { shard: number; joined: boolean; since: number }>()

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
    this.seats.set(userId, { shard, joined: false, since: this.now() })
    return shard
  }

  /** LiveKit says someone joined a hall room. */
  handleJoined(shard: number, userId: UserId): void {
    this.seats.set(userId, { shard, joined: true, since: this.now() })
  }

  /** LiveKit says someone left a hall room: their seat is free. */
  handleLeft(shard: number, userId: UserId): void {
    if (this.seats.get(userId)?.shard === shard) this.seats.delete(userId)
  }

  /** True while `userId` is in (or about to enter) a hall shard. */
  isInHall(userId: UserId): boolean {
    return this.seats.get(userId)?.joined === true
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
      if (!seat.joined && seat.since < cutoff) this.seats.delete(userId)
  }
}
