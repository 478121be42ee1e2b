import type { UserId } from '@kefu/shared'
import { ENDED_CONNECTIONS_KEPT, type HallSeats, UNCLAIMED_SEAT_MS } from '../ports/HallSeats'

interface Seat {
  shard: number
  since: number
  /** The person's LiveKit connections in the room (a reconnect, a second tab): in while any is. */
  connections: Set<string>
}

/**
 * The hall's seats on one node, in memory. Poses and presence scale with the square of a room's
 * size, so each shard holds at most `capacity` people; a customer goes where their agent is, so
 * they can walk up to them.
 */
export class LocalHallSeats implements HallSeats {
  private readonly seats = new Map<UserId, Seat>()
  private readonly ended = new Set<string>()

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  async place(userId: UserId, companion?: UserId): Promise<number> {
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

  async joined(shard: number, userId: UserId, connection: string): Promise<void> {
    if (this.ended.has(connection)) return
    const seat = this.seats.get(userId)
    if (seat?.shard === shard) seat.connections.add(connection)
    else this.seats.set(userId, { shard, since: this.now(), connections: new Set([connection]) })
  }

  async left(shard: number, userId: UserId, connection: string): Promise<void> {
    this.ended.add(connection)
    if (this.ended.size > ENDED_CONNECTIONS_KEPT)
      this.ended.delete(this.ended.values().next().value as string)
    const seat = this.seats.get(userId)
    if (seat?.shard !== shard) return
    seat.connections.delete(connection)
    if (seat.connections.size === 0) this.seats.delete(userId)
  }

  async isInHall(userId: UserId): Promise<boolean> {
    return (this.seats.get(userId)?.connections.size ?? 0) > 0
  }

  private occupancy(shard: number): number {
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
