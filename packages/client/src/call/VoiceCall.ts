import type { Participant, RemoteTrack, Room } from 'livekit-client'
import { isLostByServer, MAX_REJOINS, RESUME_ON_THE_SAME_NODE } from './roomRecovery'

/** Where a call stands, as the voice bar shows it. */
export interface VoiceCallState {
  status: 'idle' | 'joining' | 'live' | 'failed'
  muted: boolean
  /** The other people in the room (the server's hidden helpers are not listed by LiveKit). */
  peers: { identity: string; name: string; isSpeaking: boolean }[]
  isSelfSpeaking: boolean
  error?: string
}

/** What a call needs to get into its room: the conversation's token from the server. */
export type FetchVoiceToken = () => Promise<{ url: string; token: string }>

const IDLE: VoiceCallState = { status: 'idle', muted: false, peers: [], isSelfSpeaking: false }

/**
 * One person's side of a conversation's voice call: joins the LiveKit room with the microphone on
 * (off for a listener, whose token may not publish), plays everyone else through hidden audio
 * elements, and reports who is speaking.
 */
export class VoiceCall {
  private room: Room | undefined
  private state: VoiceCallState = IDLE
  private readonly listeners = new Set<() => void>()
  /** Counts joins and hang-ups, so a join that finishes after its hang-up knows it is stale. */
  private attempts = 0
  /** Joins since the call was last live that the server's side ended. */
  private rejoins = 0
  /** Holds the remote audio elements while the call lasts; they play without being visible. */
  private readonly speakers = document.createElement('div')

  constructor(
    private readonly fetchToken: FetchVoiceToken,
    /** False for a listener (a supervisor listening in): the microphone stays off. */
    private readonly speaks = true,
  ) {
    this.speakers.hidden = true
    this.speakers.dataset.testid = 'voice-speakers'
  }

  get snapshot(): VoiceCallState {
    return this.state
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async join(): Promise<void> {
    if (this.room || this.state.status === 'joining') return
    const attempt = ++this.attempts
    this.update({ ...IDLE, status: 'joining' })
    // Loaded on the first call: text chat should not wait for the WebRTC client.
    const { Room, RoomEvent, DisconnectReason } = await import('livekit-client')
    // Hung up while the client was loading.
    if (attempt !== this.attempts) return
    const room = new Room({ reconnectPolicy: RESUME_ON_THE_SAME_NODE })
    this.room = room
    document.body.appendChild(this.speakers)
    room
      .on(RoomEvent.TrackSubscribed, (track, _publication, participant) => this.play(track, participant))
      .on(RoomEvent.TrackUnsubscribed, (track, _publication, participant) => {
        track.detach()
        this.silence(participant.identity)
      })
      .on(RoomEvent.ParticipantConnected, () => this.refreshPeers())
      .on(RoomEvent.ParticipantDisconnected, (participant) => {
        // LiveKit may stop a leaver's tracks before it reports them unsubscribed.
        this.silence(participant.identity)
        this.refreshPeers()
      })
      .on(RoomEvent.ActiveSpeakersChanged, () => this.refreshPeers())
      .on(RoomEvent.Disconnected, (reason) => {
        if (this.room !== room) return
        this.reset()
        if (!isLostByServer(reason, DisconnectReason) || this.rejoins >= MAX_REJOINS) return
        this.rejoins++
        void this.join()
      })
    try {
      const { url, token } = await this.fetchToken()
      await room.connect(url, token)
      if (this.speaks) await room.localParticipant.setMicrophoneEnabled(true)
      if (this.room !== room) return
      this.rejoins = 0
      this.update({ ...this.state, status: 'live' })
      this.refreshPeers()
    } catch (error) {
      await room.disconnect()
      if (this.room !== room) return
      this.reset()
      this.update({
        ...IDLE,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.room?.localParticipant.setMicrophoneEnabled(!muted)
    this.update({ ...this.state, muted })
  }

  async leave(): Promise<void> {
    this.attempts++
    const room = this.room
    this.reset()
    await room?.disconnect()
  }

  private play(track: RemoteTrack, participant: Participant): void {
    if (track.kind !== 'audio') return
    const element = track.attach()
    element.dataset.voiceOf = participant.identity
    this.speakers.appendChild(element)
  }

  private silence(identity: string): void {
    for (const element of this.speakers.querySelectorAll<HTMLElement>('[data-voice-of]'))
      if (element.dataset.voiceOf === identity) element.remove()
  }

  private refreshPeers(): void {
    const room = this.room
    if (!room) return
    const peers = [...room.remoteParticipants.values()].map((participant) => ({
      identity: participant.identity,
      name: participant.name || participant.identity,
      isSpeaking: participant.isSpeaking,
    }))
    this.update({ ...this.state, peers, isSelfSpeaking: room.localParticipant.isSpeaking })
  }

  private reset(): void {
    this.room = undefined
    this.speakers.replaceChildren()
    this.speakers.remove()
    this.update(IDLE)
  }

  private update(next: VoiceCallState): void {
    this.state = next
    for (const listener of this.listeners) listener()
  }
}
