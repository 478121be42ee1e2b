import type { UserId } from '@kefu/shared'

/**
 * Who has at least one live connection. Counted in memory on one node (`bus/Presence`); a cluster
 * counts per node in Redis with a heartbeat, so a node that dies does not leave its users online.
 * Read on every message (is the recipient away?), so a cluster implementation caches it locally
 * and keeps it current from the bus rather than asking Redis each time.
 */
export interface PresenceStore {
  /** Counts a new connection; true when it is the user's first. */
  connect(userId: UserId): boolean
  /** Counts a closed connection; true when it was the user's last. */
  disconnect(userId: UserId): boolean
  isOnline(userId: UserId): boolean
  /** How many devices (connections) the user has open now. */
  devices(userId: UserId): number
}
