/** The LiveKit room of hall shard `n`. */
export const hallRoomName = (shard: number): string => `hall-${shard}`

/** The shard a hall room belongs to, or undefined for any other room (a conversation's). */
export function shardOfRoom(room: string): number | undefined {
  const match = /^hall-(\d+)$/.exec(room)
  return match ? Number(match[1]) : undefined
}
