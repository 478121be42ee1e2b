import type { ConversationId } from '../ids'
import type { Cancel, PcmPlayer, PcmRecorder } from '../ports'
import type { ChatSession } from '../session/index'
import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame } from './audioFrames'

/** Where a bridged call stands. */
export type BridgeState = 'idle' | 'starting' | 'live'

/** Timing of playback: how far ahead to schedule, and how far is too far (then audio is dropped). */
export interface BridgeTiming {
  sampleRate: 8000 | 16000 | 48000
  /** Jitter cushion: the first buffer plays this long after it arrives. */
  leadS: number
  /** Beyond this much queued audio, new buffers are dropped: late speech is worse than a gap. */
  maxQueuedS: number
}

const DEFAULT_TIMING: BridgeTiming = { sampleRate: 16000, leadS: 0.06, maxQueuedS: 0.5 }

/**
 * Voice for a device without WebRTC, over the chat's own socket: the microphone's PCM goes up as
 * binary frames, the room's audio comes down and is scheduled back to back on the player. The
 * recorder is restarted whenever it stops by itself (mini-program recorders stop after 10 minutes).
 */
export class VoiceBridgeClient {
  state: BridgeState = 'idle'
  droppedFrames = 0
  private readonly cancels: Cancel[] = []
  private conversationId: ConversationId | undefined
  private nextPlayAt = 0
  private readonly timing: BridgeTiming

  constructor(
    private readonly session: ChatSession,
    private readonly recorder: PcmRecorder,
    private readonly player: PcmPlayer,
    timing: Partial<BridgeTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing }
  }

  /** Asks the server to bridge this conversation's room; the microphone opens once it is ready. */
  start(conversationId: ConversationId): void {
    if (this.state !== 'idle') return
    this.state = 'starting'
    this.conversationId = conversationId
    this.cancels.push(
      this.session.onFrame((frame) => {
        if (frame.t === 'voice.bridge.ready' && frame.conversationId === conversationId) this.goLive()
        if (frame.t !== 'voice.bridge.stopped' || frame.conversationId !== conversationId) return
        // A stop this client asked for answers the bridge before this one (the slot holds one per
        // socket): when it arrives late, after a new start, it must not end the new one.
        if (frame.reason === 'requested' && this.state === 'starting') return
        this.tearDown()
      }),
      this.session.onBinary((bytes) => this.handleDownlink(bytes)),
    )
    this.session.sendFrame({ t: 'voice.bridge.start', conversationId, sampleRate: this.timing.sampleRate })
  }

  stop(): void {
    const conversationId = this.conversationId
    if (this.state === 'idle' || !conversationId) return
    this.session.sendFrame({ t: 'voice.bridge.stop', conversationId })
    this.tearDown()
  }

  private goLive(): void {
    this.state = 'live'
    this.cancels.push(
      this.recorder.onFrame((samples) => {
        if (this.state === 'live') this.session.sendBinary(encodeAudioFrame(AudioFrameKind.Uplink, samples))
      }),
      this.recorder.onStop(() => {
        // Stopped by the platform, not by us: carry on seamlessly.
        if (this.state === 'live') this.recorder.start(this.timing.sampleRate)
      }),
    )
    this.recorder.start(this.timing.sampleRate)
  }

  private handleDownlink(bytes: Uint8Array): void {
    if (this.state !== 'live') return
    const decoded = decodeAudioFrame(bytes)
    if (!decoded.ok || decoded.value.kind !== AudioFrameKind.Downlink) return
    const now = this.player.currentTime()
    const { leadS, maxQueuedS, sampleRate } = this.timing
    // After a gap, start again one cushion ahead; otherwise play right after the last buffer.
    const at = Math.max(this.nextPlayAt, now + leadS)
    if (at - now > maxQueuedS) {
      this.droppedFrames++
      return
    }
    this.player.play(decoded.value.samples, sampleRate, at)
    this.nextPlayAt = at + decoded.value.samples.length / sampleRate
  }

  private tearDown(): void {
    const wasLive = this.state === 'live'
    this.state = 'idle'
    for (const cancel of this.cancels.splice(0)) cancel()
    if (wasLive) this.recorder.stop()
    this.nextPlayAt = 0
  }
}
