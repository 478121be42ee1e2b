import { afterEach, describe, expect, it, vi } from 'vitest'
import { DisconnectReason, Room as FakeRoom, rooms } from './fakeLivekitClient'
import { VoiceCall } from './VoiceCall'

vi.mock('livekit-client', () => import('./fakeLivekitClient'))

afterEach(() => {
  rooms.length = 0
})

/** A call whose every token names the next of `urls`, as a server does once a node has died. */
function callGivenNodes(urls: string[]) {
  let tokens = 0
  const call = new VoiceCall(async () => ({
    url: urls[Math.min(tokens++, urls.length - 1)] ?? '',
    token: 't',
  }))
  return { call, tokensFetched: () => tokens }
}

const live = (call: VoiceCall) => vi.waitFor(() => expect(call.snapshot.status).toBe('live'))

describe('a voice call whose LiveKit node goes away', () => {
  it('resumes on the same node for about two seconds, then joins again with a new token', async () => {
    const { call, tokensFetched } = callGivenNodes(['ws://node-1', 'ws://node-2'])
    await call.join()
    await live(call)
    const delays = [0, 1, 2, 3].map((retryCount) =>
      rooms[0]?.options.reconnectPolicy.nextRetryDelayInMs({ retryCount }),
    )
    expect(delays).toEqual([0, 500, 1500, null])

    rooms[0]?.end(DisconnectReason.SIGNAL_CLOSE)
    await vi.waitFor(() => expect(rooms).toHaveLength(2))
    await live(call)
    expect(tokensFetched()).toBe(2)
    expect(rooms[1]?.connectedTo).toBe('ws://node-2')
  })

  it('stays down when the person hung up, was taken out or the room was closed', async () => {
    for (const reason of [
      DisconnectReason.CLIENT_INITIATED,
      DisconnectReason.PARTICIPANT_REMOVED,
      DisconnectReason.ROOM_DELETED,
    ]) {
      rooms.length = 0
      const { call, tokensFetched } = callGivenNodes(['ws://node-1'])
      await call.join()
      await live(call)
      rooms[0]?.end(reason)
      expect(call.snapshot.status).toBe('idle')
      expect(tokensFetched()).toBe(1)
      expect(rooms).toHaveLength(1)
    }
  })

  it('gives up after three joins in a row that the server ended before the call was live', async () => {
    const { call } = callGivenNodes(['ws://node-1'])
    await call.join()
    await live(call)
    // Each new room is ended as soon as it exists, before the call it carries is live again.
    const connect = FakeRoom.prototype.connect
    FakeRoom.prototype.connect = async function (this: FakeRoom) {
      this.state = 'connected'
      this.end(DisconnectReason.JOIN_FAILURE)
    }
    try {
      rooms[0]?.end(DisconnectReason.SERVER_SHUTDOWN)
      await vi.waitFor(() => expect(rooms).toHaveLength(4))
      await vi.waitFor(() => expect(call.snapshot.status).not.toBe('joining'))
      expect(rooms).toHaveLength(4)
    } finally {
      FakeRoom.prototype.connect = connect
    }
  })
})
