import type { UserId } from '@kefu/shared'
import type { PresenceStore } from '../ports/Presence'

/** Who has at least one live connection, counted in this process (the single-node `PresenceStore`). */
export class Presence implements PresenceStore {
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

  devices(userId: UserId): number {
    return this.connections.get(userId) ?? 0
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
