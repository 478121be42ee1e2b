// For tests only (jsdom has no WebRTC): the part of livekit-client that the calls and the hall use,
// with a room that records what it is asked and that a test ends as LiveKit would. A test file
// puts it in place with `vi.mock('livekit-client', () => import('…/fakeLivekitClient'))`; the
// real client against real LiveKit nodes is the e2e tests'.

export const DisconnectReason = {
  UNKNOWN_REASON: 0,
  CLIENT_INITIATED: 1,
  SERVER_SHUTDOWN: 3,
  PARTICIPANT_REMOVED: 4,
  ROOM_DELETED: 5,
  STATE_MISMATCH: 6,
  JOIN_FAILURE: 7,
  MIGRATION: 8,
  SIGNAL_CLOSE: 9,
} as const

export const RoomEvent = {
  TrackSubscribed: 'trackSubscribed',
  TrackUnsubscribed: 'trackUnsubscribed',
  ParticipantConnected: 'participantConnected',
  ParticipantDisconnected: 'participantDisconnected',
  ParticipantMetadataChanged: 'participantMetadataChanged',
  ActiveSpeakersChanged: 'activeSpeakersChanged',
  DataReceived: 'dataReceived',
  Disconnected: 'disconnected',
} as const

interface FakeParticipant {
  identity: string
  name: string
  metadata: string
}

/** Every room made since the last `rooms.length = 0`, oldest first. */
export const rooms: Room[] = []

export class Room {
  readonly handlers = new Map<string, (...args: unknown[]) => void>()
  readonly remoteParticipants = new Map<string, FakeParticipant>()
  readonly localParticipant = {
    isSpeaking: false,
    setMicrophoneEnabled: async () => {},
    publishData: async () => {},
  }
  state = 'disconnected'
  name = ''
  connectedTo: string | undefined

  constructor(
    readonly options: {
      reconnectPolicy: { nextRetryDelayInMs(context: { retryCount: number }): number | null }
    },
  ) {
    rooms.push(this)
  }

  on(event: string, handler: (...args: unknown[]) => void): this {
    this.handlers.set(event, handler)
    return this
  }

  async connect(url: string): Promise<void> {
    this.connectedTo = url
    this.state = 'connected'
  }

  async disconnect(): Promise<void> {
    this.end(DisconnectReason.CLIENT_INITIATED)
  }

  /** LiveKit ends the room for `reason`. */
  end(reason: number): void {
    if (this.state === 'disconnected') return
    this.state = 'disconnected'
    this.handlers.get(RoomEvent.Disconnected)?.(reason)
  }

  /** Someone is in the room, as LiveKit announces them. */
  arrive(identity: string): void {
    const participant = { identity, name: identity, metadata: '{"role":"customer"}' }
    this.remoteParticipants.set(identity, participant)
    this.handlers.get(RoomEvent.ParticipantConnected)?.(participant)
  }
}
