import type { UserId } from '@kefu/shared'
import type { PresenceChange, PresenceStore } from '../ports/Presence'

/** Who has at least one live connection, counted in this process (the single-node `PresenceStore`). */
export class LocalPresence implements PresenceStore {
  private readonly connections = new Map<UserId, number>()
  private readonly watchers = new Set<PresenceChange>()

  async connect(userId: UserId): Promise<boolean> {
    const count = (this.connections.get(userId) ?? 0) + 1
    this.connections.set(userId, count)
    if (count === 1) this.tell(userId, true)
    return count === 1
  }

  async disconnect(userId: UserId): Promise<boolean> {
    const count = (this.connections.get(userId) ?? 1) - 1
    if (count > 0) {
      this.connections.set(userId, count)
      return false
    }
    this.connections.delete(userId)
    this.tell(userId, false)
    return true
  }

  async devices(userId: UserId): Promise<number> {
    return this.connections.get(userId) ?? 0
  }

  async watch(onChange: PresenceChange) {
    this.watchers.add(onChange)
    return { online: [...this.connections.keys()], stop: () => void this.watchers.delete(onChange) }
  }

  // Told before connect resolves, so a view read after a connect already counts it.
  private tell(userId: UserId, online: boolean): void {
    for (const watcher of this.watchers) watcher(userId, online)
  }
}
