import type { UserId } from '@kefu/shared'

/**
 * Who has at least one live connection. In-memory for one node; a shared store replaces it when
 * several nodes run behind a load balancer.
 */
export class Presence {
  private readonly connections = new Map<UserId, number>()

  /** Counts a new connection; true when it is the user's first. */
  connect(userId: UserId): boolean {
    const count = (this.connections.get(userId) ?? 0) + 1
    this.connections.set(userId, count)
    return count === 1
  }

  /** Counts a closed connection; true when it was the user's last. */
  disconnect(userId: UserId): boolean {
    const count = (this.connections.get(userId) ?? 1) - 1
    if (count > 0) {
      this.connections.set(userId, count)
      return false
    }
    this.connections.delete(userId)
    return true
  }

  isOnline(userId: UserId): boolean {
    return this.connections.has(userId)
  }

  connectionCount(): number {
    let total = 0
    for (const count of this.connections.values()) total += count
    return total
  }
}
