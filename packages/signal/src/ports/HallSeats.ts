import type { UserId } from '@kefu/shared'

/** A seat given with a token but not taken (no join heard) is freed after this long. */
export const UNCLAIMED_SEAT_MS = 60_000
/** Connections remembered as left, so a join heard after its own leave is not taken for a new one. */
export const ENDED_CONNECTIONS_KEPT = 10_000

/**
 * Who is in which instance of the 3D hall, for every node: each shard is one LiveKit room of a
 * fixed capacity, and whichever node mints a hall token seats the person. A cluster keeps the seats
 * in Redis, each placement one script (read the person's and the companion's seat, count, take).
 */
export interface HallSeats {
  /**
   * The shard for `userId`: the one they are in; else `companion`'s (a customer's agent) if it has
   * room; else the first with room. The seat is held from now on, until it is left, or for a while
   * if no join is ever heard for it.
   */
  place(userId: UserId, companion?: UserId): Promise<number>
  /**
   * LiveKit says connection `connection` of `userId` joined shard `shard`'s room. LiveKit's webhooks
   * come in no set order: a reconnect's join may be heard before the old connection's leave, and
   * a join after its own leave is the past.
   */
  joined(shard: number, userId: UserId, connection: string): Promise<void>
  /** That connection left: the seat is free once none of the person's connections is in. */
  left(shard: number, userId: UserId, connection: string): Promise<void>
  /** True while `userId` has a connection in a hall shard. */
  isInHall(userId: UserId): Promise<boolean>
}
