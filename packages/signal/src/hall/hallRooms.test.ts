import { describe, expect, it } from 'vitest'
import { hallRoomName, shardOfRoom } from './hallRooms'

describe('hall rooms', () => {
  it('knows hall rooms from conversation rooms', () => {
    expect(shardOfRoom(hallRoomName(12))).toBe(12)
    expect(shardOfRoom('c_abc')).toBeUndefined()
    expect(shardOfRoom('hall-')).toBeUndefined()
  })
})
