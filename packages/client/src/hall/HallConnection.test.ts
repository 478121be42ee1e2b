import { afterEach, describe, expect, it, vi } from 'vitest'
import { DisconnectReason, rooms } from '../call/fakeLivekitClient'
import { createHallStore } from '../core/hallStore'
import { HallConnection } from './HallConnection'

vi.mock('livekit-client', () => import('../call/fakeLivekitClient'))

afterEach(() => {
  rooms.length = 0
})

/** A hall whose every seat names the next of `urls`, as a server does once a node has died. */
function hallGivenNodes(urls: string[]) {
  const store = createHallStore()
  let seats = 0
  const hall = new HallConnection(store, async () => ({
    url: urls[Math.min(seats++, urls.length - 1)] ?? '',
    token: 't',
    room: 'hall-1',
  }))
  return { store, hall, seatsTaken: () => seats }
}

describe('a hall whose LiveKit node goes away', () => {
  it('takes a new seat in a room that answers, and forgets who was in the lost one', async () => {
    const { store, hall, seatsTaken } = hallGivenNodes(['ws://node-1', 'ws://node-2'])
    await hall.join()
    rooms[0]?.arrive('u_ada')
    rooms[0]?.arrive('s_alice')
    expect([...store.getState().remotes.keys()].sort()).toEqual(['s_alice', 'u_ada'])

    rooms[0]?.end(DisconnectReason.SIGNAL_CLOSE)
    await vi.waitFor(() => expect(rooms[1]?.state).toBe('connected'))
    expect(seatsTaken()).toBe(2)
    expect(rooms[1]?.connectedTo).toBe('ws://node-2')
    expect(store.getState().remotes.size).toBe(0)
    rooms[1]?.arrive('s_alice')
    expect([...store.getState().remotes.keys()]).toEqual(['s_alice'])
    await hall.leave()
  })

  it('stays out once the person left the hall or was taken out of it', async () => {
    for (const end of ['leave', DisconnectReason.PARTICIPANT_REMOVED] as const) {
      rooms.length = 0
      const { hall, seatsTaken } = hallGivenNodes(['ws://node-1'])
      await hall.join()
      if (end === 'leave') await hall.leave()
      else rooms[0]?.end(end)
      expect(rooms).toHaveLength(1)
      expect(seatsTaken()).toBe(1)
    }
  })
})
