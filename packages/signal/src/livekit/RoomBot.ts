import type { AudioFrame, AudioSource, RemoteParticipant, Room } from '@livekit/rtc-node'
import { livekitRtc } from '../livekitSdks'

type Rtc = Awaited<ReturnType<typeof livekitRtc>>

/** A data message a bot received in its room. */
export interface BotDataMessage {
  /** The sending participant; undefined for data the server sent through its API. */
  identity: string | undefined
  topic: string | undefined
  payload: Uint8Array
}

/** Another participant, as a bot sees them. */
export interface RoomPerson {
  identity: string
  name: string
  metadata: string
}

/**
 * A server-side participant in a LiveKit room (@livekit/rtc-node). The signal server uses one to
 * hear room chat; the AI first responder and the mini-program voice bridge build on the same API.
 */
export class RoomBot {
  private joined: { rtc: Rtc; room: Room } | undefined
  private readonly dataHandlers = new Set<(message: BotDataMessage) => void>()

  /** `autoSubscribe: false` for bots that only listen to data (no media decoding). */
  async join(url: string, token: string, options: { autoSubscribe?: boolean } = {}): Promise<void> {
    const rtc = await livekitRtc()
    const room = new rtc.Room()
    room.on(rtc.RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      for (const handler of this.dataHandlers) handler({ identity: participant?.identity, topic, payload })
    })
    this.joined = { rtc, room }
    await room.connect(url, token, { autoSubscribe: options.autoSubscribe ?? true, dynacast: false })
  }

  private get connection(): { rtc: Rtc; room: Room } {
    if (!this.joined) throw new Error('The bot has not joined a room')
    return this.joined
  }

  /** Calls `handler` for each data message; returns the unsubscribe function. */
  onData(handler: (message: BotDataMessage) => void): () => void {
    this.dataHandlers.add(handler)
    return () => this.dataHandlers.delete(handler)
  }

  /**
   * Sends a data message to the room on a topic (room chat uses `chat`); reliable unless said
   * otherwise (poses are lossy: the next one replaces a lost one).
   */
  async sendData(payload: Uint8Array, topic: string, options: { reliable?: boolean } = {}): Promise<void> {
    await this.connection.room.localParticipant?.publishData(payload, {
      reliable: options.reliable ?? true,
      topic,
    })
  }

  /**
   * Calls `handler` with everyone else in the room now, and again whenever someone joins, leaves or
   * changes name or metadata; returns the unsubscribe function.
   */
  onPeople(handler: (people: RoomPerson[]) => void): () => void {
    const { rtc, room } = this.connection
    const report = () =>
      handler(
        [...room.remoteParticipants.values()].map((participant) => ({
          identity: participant.identity,
          name: participant.name ?? '',
          metadata: participant.metadata ?? '',
        })),
      )
    const events = [
      rtc.RoomEvent.ParticipantConnected,
      rtc.RoomEvent.ParticipantDisconnected,
      rtc.RoomEvent.ParticipantMetadataChanged,
      rtc.RoomEvent.ParticipantNameChanged,
    ] as const
    for (const event of events) room.on(event, report)
    report()
    return () => {
      for (const event of events) room.off(event, report)
    }
  }

  /**
   * Answers calls of `method` from other participants. LiveKit stamps the caller's identity, so
   * unlike a data packet's contents it can be trusted.
   */
  handleRpc(method: string, handler: (callerIdentity: string, payload: string) => Promise<string>): void {
    this.connection.room.localParticipant?.registerRpcMethod(method, (data) =>
      handler(data.callerIdentity, data.payload),
    )
  }

  /** Calls `method` on another participant and resolves with its reply. */
  async callRpc(destinationIdentity: string, method: string, payload: string): Promise<string> {
    const local = this.connection.room.localParticipant
    if (!local) throw new Error('Not connected')
    return local.performRpc({ destinationIdentity, method, payload })
  }

  /** Publishes a microphone track fed with PCM frames the caller pushes. */
  async publishAudio(sampleRate: number, channels = 1): Promise<AudioSource> {
    const { rtc, room } = this.connection
    const source = new rtc.AudioSource(sampleRate, channels)
    const track = rtc.LocalAudioTrack.createAudioTrack('microphone', source)
    const options = new rtc.TrackPublishOptions()
    options.source = rtc.TrackSource.SOURCE_MICROPHONE
    await room.localParticipant?.publishTrack(track, options)
    return source
  }

  /** Resolves with a stream of the first audio track another participant publishes (or already has). */
  firstRemoteAudio(sampleRate: number): Promise<{ identity: string; frames: AsyncIterable<AudioFrame> }> {
    const { rtc, room } = this.connection
    return new Promise((resolve) => {
      const take = (participant: RemoteParticipant) => {
        for (const publication of participant.trackPublications.values()) {
          const track = publication.track
          if (track && track.kind === rtc.TrackKind.KIND_AUDIO) {
            resolve({
              identity: participant.identity,
              frames: new rtc.AudioStream(track, { sampleRate, numChannels: 1 }),
            })
            return true
          }
        }
        return false
      }
      for (const participant of room.remoteParticipants.values()) if (take(participant)) return
      room.on(rtc.RoomEvent.TrackSubscribed, (_track, _publication, participant) => void take(participant))
    })
  }

  /** Calls `handler` with a stream for every remote audio track, present and future. */
  eachRemoteAudio(
    sampleRate: number,
    handler: (identity: string, frames: AsyncIterable<AudioFrame>) => void,
  ): void {
    const { rtc, room } = this.connection
    const seen = new Set<string>()
    const take = (participant: RemoteParticipant) => {
      for (const publication of participant.trackPublications.values()) {
        const track = publication.track
        if (!track || track.kind !== rtc.TrackKind.KIND_AUDIO || seen.has(publication.sid ?? '')) continue
        seen.add(publication.sid ?? '')
        handler(participant.identity, new rtc.AudioStream(track, { sampleRate, numChannels: 1 }))
      }
    }
    for (const participant of room.remoteParticipants.values()) take(participant)
    room.on(rtc.RoomEvent.TrackSubscribed, (_track, _publication, participant) => take(participant))
  }

  get identity(): string | undefined {
    return this.joined?.room.localParticipant?.identity
  }

  get isConnected(): boolean {
    return this.joined?.room.isConnected ?? false
  }

  /** Resolves when the server disconnects this bot (room closed, participant removed). */
  disconnected(): Promise<void> {
    return new Promise((resolve) => {
      const joined = this.joined
      if (!joined?.room.isConnected) return resolve()
      joined.room.once(joined.rtc.RoomEvent.Disconnected, () => resolve())
    })
  }

  async leave(): Promise<void> {
    await this.joined?.room.disconnect()
  }
}
