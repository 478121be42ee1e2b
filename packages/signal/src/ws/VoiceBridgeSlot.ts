import { AudioFrameKind, type ConversationId, decodeAudioFrame, ErrorCode, KefuError } from '@kefu/shared'
import { VoiceBridge } from '../bridge/VoiceBridge'
import type { ConnectionContext } from './ConnectionContext'

/**
 * A connection's voice bridge, for customers whose client has no WebRTC (a mini-program): at
 * most one at a time, audio frames both ways, stopped by the customer, the room or the socket.
 */
export class VoiceBridgeSlot {
  private bridge: VoiceBridge | undefined
  private conversationId: ConversationId | undefined

  constructor(private readonly ctx: ConnectionContext) {}

  async start(conversationId: ConversationId, sampleRate: number): Promise<void> {
    const { deps, session } = this.ctx
    const livekit = deps.livekit
    if (!livekit) throw new KefuError(ErrorCode.VoiceUnavailable, 'Voice is not available on this server')
    if (session.role !== 'customer')
      throw KefuError.forbidden('The voice bridge is for customers without WebRTC')
    const conversation = await deps.repo.getConversation(conversationId)
    if (!conversation) throw KefuError.notFound('Conversation')
    await this.stop('requested')
    const bridge = new VoiceBridge(sampleRate, (bytes) => this.ctx.sendBinary(bytes), deps.logger)
    // Attached only once it stands: a refused start (not this customer's call) leaves nothing behind.
    try {
      await bridge.start(livekit, session, conversation)
    } catch (error) {
      await bridge.stop()
      throw error
    }
    this.bridge = bridge
    this.conversationId = conversationId
    this.ctx.send({ t: 'voice.bridge.ready', conversationId, sampleRate })
    void bridge.ended().then(() => {
      if (this.bridge === bridge) void this.stop('room_closed')
    })
  }

  async stop(reason: 'requested' | 'room_closed' | 'error'): Promise<void> {
    const { bridge, conversationId } = this
    this.bridge = undefined
    this.conversationId = undefined
    if (!bridge || !conversationId) return
    await bridge.stop()
    this.ctx.send({ t: 'voice.bridge.stopped', conversationId, reason })
  }

  /**
   * Audio frames run at tens per second, so they bypass the text frame limiter; the bridge's own
   * bounded queue is what keeps a fast sender from using more than real time. Returns the refusal.
   */
  handleAudio(data: Uint8Array): KefuError | undefined {
    if (!this.bridge)
      return new KefuError(ErrorCode.UnsupportedFrame, 'Start a voice bridge before sending audio')
    const decoded = decodeAudioFrame(data)
    if (!decoded.ok) return decoded.error
    if (decoded.value.kind !== AudioFrameKind.Uplink)
      return new KefuError(ErrorCode.BadFrame, 'Only uplink audio is sent to the server')
    this.bridge.handleUplink(decoded.value.samples)
    return undefined
  }

  /** The socket closed: the bridge goes with it, without a word (there is nobody to tell). */
  close(): void {
    void this.bridge?.stop()
    this.bridge = undefined
  }
}
