import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DisconnectReason, rooms } from '../../call/fakeLivekitClient'
import { createHallStore } from '../../core/hallStore'
import { SpatialCall } from './SpatialCall'

vi.mock('livekit-client', () => import('../../call/fakeLivekitClient'))

// jsdom has no Web Audio: a context that counts how many were made and closed is all a call that
// hears nobody yet asks of it.
const contexts = { made: 0, closed: 0 }
beforeEach(() => {
  contexts.made = 0
  contexts.closed = 0
  vi.stubGlobal(
    'AudioContext',
    class {
      constructor() {
        contexts.made++
      }
      async resume() {}
      async close() {
        contexts.closed++
      }
    },
  )
})
afterEach(() => {
  vi.unstubAllGlobals()
  rooms.length = 0
})

describe('the hall’s spatial call when its LiveKit node goes away', () => {
  it('joins again through a node that answers, keeping the audio the person started', async () => {
    let tokens = 0
    const urls = ['ws://node-1', 'ws://node-2']
    const call = new SpatialCall(createHallStore(), async () => ({ url: urls[tokens++] ?? '', token: 't' }))
    await call.join()
    expect(call.status).toBe('live')
    rooms[0]?.end(DisconnectReason.SERVER_SHUTDOWN)
    await vi.waitFor(() => expect(rooms[1]?.state).toBe('connected'))
    await vi.waitFor(() => expect(call.status).toBe('live'))
    expect(rooms[1]?.connectedTo).toBe('ws://node-2')
    expect(contexts).toEqual({ made: 1, closed: 0 })

    rooms[1]?.end(DisconnectReason.ROOM_DELETED)
    await vi.waitFor(() => expect(call.status).toBe('idle'))
    expect(rooms).toHaveLength(2)
    expect(contexts.closed).toBe(1)
  })
})
