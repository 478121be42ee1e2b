import type { RoomClaims } from '../ports/RoomClaims'
import type { Leases } from './Leases'

/** Voice room claims for a cluster: a lease per room, held by the node that runs its scribe. */
export class RedisRoomClaims implements RoomClaims {
  // Claimed or being claimed here: a second claim from this node is refused, not an extension.
  private readonly mine = new Set<string>()

  constructor(private readonly leases: Leases) {}

  async claim(room: string): Promise<boolean> {
    if (this.mine.has(room)) return false
    this.mine.add(room)
    const taken = await this.leases.take(roomLease(room)).catch((error: unknown) => {
      this.mine.delete(room)
      throw error
    })
    if (!taken) this.mine.delete(room)
    return taken
  }

  async release(room: string): Promise<void> {
    this.mine.delete(room)
    await this.leases.giveBack(roomLease(room))
  }
}

const roomLease = (room: string) => `room:${room}`
