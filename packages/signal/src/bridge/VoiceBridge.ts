import { AudioFrameKind, type Conversation, encodeAudioFrame, KefuError, type Logger } from '@kefu/shared'
import type { AudioFrame, AudioSource } from '@livekit/rtc-node'
import type { Session } from '../auth/sessionTokens'
import { RoomBot } from '../livekit/RoomBot'
import { mintVoiceToken } from '../livekit/voiceTokens'
import type { LivekitAccess } from '../livekitAccess'
import { livekitRtc } from '../livekitSdks'

// About a second of 20 ms frames: beyond that the caller is ahead of real time, and old audio is
// worth less than low latency, so the oldest frames are dropped.
const MAX_QUEUED_FRAMES = 50

/**
 * Voice for a client without WebRTC: the server joins the conversation's room as that customer,
 * publishes the PCM the client streams up, and streams every other voice in the room back down.
 */
export class VoiceBridge {
  private readonly bot = new RoomBot()
  /** The published microphone, and how the client's PCM becomes its frames. */
  private uplink: { source: AudioSource; frameOf: (samples: Int16Array) => AudioFrame } | undefined
  private readonly queue: Int16Array[] = []
  private pumping = false
  private stopped = false
  droppedFrames = 0

  constructor(
    private readonly sampleRate: number,
    private readonly sendDown: (bytes: Uint8Array) => void,
    private readonly logger: Logger,
  ) {}

  /** Joins the room with the same least grants the customer's own token would carry. */
  async start(config: LivekitAccess, session: Session, conversation: Conversation): Promise<void> {
    if (!conversation.voiceRoom) throw KefuError.badRequest('Start voice in this conversation first')
    await this.bot.join(await config.nodeUrl(), await mintVoiceToken(config, session, conversation))
    const { AudioFrame } = await livekitRtc()
    this.uplink = {
      source: await this.bot.publishAudio(this.sampleRate),
      frameOf: (samples) => new AudioFrame(samples, this.sampleRate, 1, samples.length),
    }
    this.bot.eachRemoteAudio(this.sampleRate, (identity, frames) => {
      this.forwardDown(frames).catch((error: unknown) =>
        this.logger.warn({ err: error, identity }, 'bridge downlink ended'),
      )
    })
  }

  /** Microphone PCM from the client. */
  handleUplink(samples: Int16Array): void {
    if (this.stopped) return
    this.queue.push(samples)
    while (this.queue.length > MAX_QUEUED_FRAMES) {
      this.queue.shift()
      this.droppedFrames++
    }
    void this.pump()
  }

  private async pump(): Promise<void> {
    const uplink = this.uplink
    if (this.pumping || !uplink) return
    this.pumping = true
    try {
      for (let samples = this.queue.shift(); samples && !this.stopped; samples = this.queue.shift()) {
        await uplink.source.captureFrame(uplink.frameOf(samples))
      }
    } finally {
      this.pumping = false
    }
  }

  private async forwardDown(frames: AsyncIterable<AudioFrame>): Promise<void> {
    for await (const frame of frames) {
      if (this.stopped) return
      this.sendDown(encodeAudioFrame(AudioFrameKind.Downlink, frame.data))
    }
  }

  /** Resolves when LiveKit ends the bridge (room closed, participant removed). */
  ended(): Promise<void> {
    return this.bot.disconnected()
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.queue.length = 0
    await this.bot.leave()
  }
}
