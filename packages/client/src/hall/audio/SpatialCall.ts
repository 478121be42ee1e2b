import { floorDistance, HALL_HEARING, isInEarshot, type Listener, type Pose } from '@kefu/shared'
import type { RemoteAudioTrack, RemoteTrackPublication, Room } from 'livekit-client'
import { isLostByServer, MAX_REJOINS, RESUME_ON_THE_SAME_NODE } from '../../call/roomRecovery'
import type { HallStore } from '../../core/hallStore'
import {
  createVoiceNode,
  type HearingMode,
  hearingModeFor,
  levelOf,
  placeListener,
  placeVoice,
  releaseVoice,
  type VoiceNode,
} from './voiceGraph'

/** Where the call stands, as the hall's voice button shows it. */
export type SpatialCallStatus = 'idle' | 'joining' | 'live' | 'failed'

interface Voice {
  node: VoiceNode
  /** NOTE: Chrome feeds a remote WebRTC stream to Web Audio only while a media element plays it. */
  sink: HTMLAudioElement
}

// Unsubscribe a little beyond earshot, subscribe again at earshot: no flapping at the edge.
const UNSUBSCRIBE_BEYOND_M = HALL_HEARING.earshotM + 1.5

/**
 * The conversation's voice call as heard in the hall: the same LiveKit room and grants as the
 * chat's call (only its customer, its agent and hidden supervisors may join it), but every remote
 * voice goes through a panner at its owner's avatar, and the listener's ears follow the own avatar.
 * Voices of people beyond earshot are unsubscribed.
 */
export class SpatialCall {
  status: SpatialCallStatus = 'idle'
  error: string | undefined
  private room: Room | undefined
  private context: AudioContext | undefined
  private readonly voices = new Map<string, Voice>()
  private readonly listeners = new Set<() => void>()
  private readonly scratch: Pose = { x: 0, y: 0, z: 0, heading: 0, motion: 0, seq: 0 }
  private readonly levels = new Float32Array(256)
  /** Joins since the call was last live that LiveKit's side ended. */
  private rejoins = 0
  /** HRTF panners, or gain + stereo pan on devices where those cost too much. */
  readonly mode: HearingMode = hearingModeFor(
    navigator.userAgent,
    (navigator as { deviceMemory?: number }).deviceMemory,
  )

  constructor(
    private readonly store: HallStore,
    private readonly fetchToken: () => Promise<{ url: string; token: string }>,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Creates the audio context: call it from a click, browsers start audio only after a gesture. */
  prepareAudio(): void {
    this.context ??= new AudioContext()
    void this.context.resume()
  }

  /** Joins with the microphone on. */
  async join(): Promise<void> {
    if (this.room) return
    this.prepareAudio()
    this.update('joining')
    const { Room, RoomEvent, DisconnectReason } = await import('livekit-client')
    const room = new Room({ reconnectPolicy: RESUME_ON_THE_SAME_NODE })
    this.room = room
    room
      .on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
        if (track.kind === 'audio') this.hear(participant.identity, track as RemoteAudioTrack)
      })
      .on(RoomEvent.TrackUnsubscribed, (_track, _publication, participant) =>
        this.forget(participant.identity),
      )
      .on(RoomEvent.ParticipantDisconnected, (participant) => this.forget(participant.identity))
      .on(RoomEvent.Disconnected, (reason) => {
        if (this.room !== room) return
        const rejoins = isLostByServer(reason, DisconnectReason) && this.rejoins < MAX_REJOINS
        if (rejoins) this.rejoins++
        // The audio context outlives the lost room: the person clicked for it once already.
        void this.leave({ keepAudio: rejoins }).then(() => (rejoins ? this.join() : undefined))
      })
    try {
      const { url, token } = await this.fetchToken()
      await room.connect(url, token)
      await room.localParticipant.setMicrophoneEnabled(true)
      this.rejoins = 0
      this.update('live')
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
      await this.leave()
      this.update('failed')
    }
  }

  async leave({ keepAudio = false } = {}): Promise<void> {
    const room = this.room
    this.room = undefined
    for (const identity of [...this.voices.keys()]) this.forget(identity)
    await room?.disconnect()
    if (!keepAudio) {
      await this.context?.close().catch(() => undefined)
      this.context = undefined
    }
    if (this.status !== 'failed') this.update('idle')
  }

  /** Every frame: ears at the own avatar, each voice at its owner's, rings from their levels. */
  tick(now: number): void {
    const context = this.context
    const room = this.room
    if (!context || !room) return
    const state = this.store.getState()
    const listener: Listener = state.self
    placeListener(context, listener)
    for (const participant of room.remoteParticipants.values()) {
      const remote = state.remotes.get(participant.identity)
      // Someone not in the hall (an agent at the console) is heard as if beside the listener.
      const at = remote?.poses.sample(now, this.scratch) ?? listener
      const voice = this.voices.get(participant.identity)
      if (voice) {
        placeVoice(context, voice.node, at, listener)
        if (remote) remote.audioLevel = levelOf(voice.node, this.levels)
      }
      const distance = floorDistance(at, listener)
      for (const publication of participant.audioTrackPublications.values())
        keepInEarshot(publication as RemoteTrackPublication, distance)
    }
  }

  /** For the hall's debug view: every voice and where its panner is placed. */
  describe(): { identity: string; mode: HearingMode; x?: number; z?: number; pan?: number }[] {
    return [...this.voices].map(([identity, { node }]) => ({
      identity,
      mode: node.mode,
      // Where the panner is put (it glides there on the audio clock), so a loaded machine reads no lag.
      ...(node.panner && node.placedAt ? { x: node.placedAt.x, z: node.placedAt.z } : {}),
      ...(node.pan === undefined ? {} : { pan: node.pan }),
    }))
  }

  private hear(identity: string, track: RemoteAudioTrack): void {
    const context = this.context
    if (!context) return
    this.forget(identity)
    const stream = new MediaStream([track.mediaStreamTrack])
    const sink = new Audio()
    sink.muted = true
    sink.srcObject = stream
    void sink.play().catch(() => undefined)
    const node = createVoiceNode(
      context,
      context.createMediaStreamSource(stream),
      context.destination,
      this.mode,
    )
    this.voices.set(identity, { node, sink })
  }

  private forget(identity: string): void {
    const voice = this.voices.get(identity)
    if (!voice) return
    releaseVoice(voice.node)
    voice.sink.srcObject = null
    this.voices.delete(identity)
  }

  private update(status: SpatialCallStatus): void {
    this.status = status
    for (const listener of this.listeners) listener()
  }
}

function keepInEarshot(publication: RemoteTrackPublication, distance: number): void {
  if (isInEarshot(distance) && !publication.isSubscribed) publication.setSubscribed(true)
  else if (distance > UNSUBSCRIBE_BEYOND_M && publication.isSubscribed) publication.setSubscribed(false)
}
