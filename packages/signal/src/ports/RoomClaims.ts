/**
 * Which node keeps a voice room's scribe (the hidden server participant that stores room chat):
 * exactly one per room, or room chat would be stored twice. In-process every claim succeeds once
 * (`local/InProcessRoomClaims`); a cluster claims the room with a Redis key or a row lock that
 * expires with the node, and another node may claim it after.
 */
export interface RoomClaims {
  /** True when this node now holds the room (and should run its scribe); false when someone does. */
  claim(room: string): Promise<boolean>
  release(room: string): Promise<void>
}
