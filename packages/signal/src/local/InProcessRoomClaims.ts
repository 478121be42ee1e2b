import type { RoomClaims } from '../ports/RoomClaims'

/** Room claims of a single node: a set of the rooms it holds. */
export class InProcessRoomClaims implements RoomClaims {
  private readonly held = new Set<string>()

  async claim(room: string): Promise<boolean> {
    if (this.held.has(room)) return false
    this.held.add(room)
    return true
  }

  async release(room: string): Promise<void> {
    this.held.delete(room)
  }
}
