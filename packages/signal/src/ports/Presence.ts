import type { Cancel, UserId } from '@kefu/shared'

/** A person came online (their first device) or went offline (their last). */
export type PresenceChange = (userId: UserId, online: boolean) => void

/**
 * Who has at least one live connection. Counted in memory on one node (`local/LocalPresence`); a
 * cluster counts per node in Redis with a heartbeat, so a node that dies does not leave its users
 * online. Read on every message (is the recipient away?), so that read goes to a `PresenceView`
 * kept current by `watch`, never to the store itself.
 */
export interface PresenceStore {
  /** Counts a new connection; true when it is the user's first. */
  connect(userId: UserId): Promise<boolean>
  /** Counts a closed connection; true when it was the user's last. */
  disconnect(userId: UserId): Promise<boolean>
  /** How many devices (connections) the user has open now, on every node. */
  devices(userId: UserId): Promise<number>
  /** Everyone online now, then every change as it happens until the returned function is called. */
  watch(onChange: PresenceChange): Promise<{ online: UserId[]; stop: Cancel }>
}

/** Who is online, read without waiting: a local copy of a `PresenceStore`, kept current by its changes. */
export class PresenceView {
  private constructor(
    private readonly online: Set<UserId>,
    readonly stop: Cancel,
  ) {}

  static async of(store: PresenceStore): Promise<PresenceView> {
    const online = new Set<UserId>()
    // Changes that arrive while the first list is on its way are applied to it, not lost.
    const { online: now, stop } = await store.watch((userId, isOnline) => {
      if (isOnline) online.add(userId)
      else online.delete(userId)
    })
    for (const userId of now) online.add(userId)
    return new PresenceView(online, stop)
  }

  isOnline(userId: UserId): boolean {
    return this.online.has(userId)
  }
}
