import {
  type BridgeState,
  type Cancel,
  type ChatSession,
  type ConversationId,
  type PcmPlayer,
  type PcmRecorder,
  VoiceBridgeClient,
} from '@kefu/shared'
import { currentConversation } from '../core/conversationView'
import type { MiniPlatform } from '../platform/mini/MiniPlatform'

const CARRIED_CALL_KEY = 'kefu.call.carried'

/**
 * The conversation's voice call through the server's bridge, as the chat page and the hall page
 * each hold it: asked for once, it gets the conversation its room (`voice.start`) and starts the
 * bridge as soon as the room is there.
 */
export class BridgedCall {
  private bridge: VoiceBridgeClient | undefined
  private wanted = false
  private askedRoomFor: ConversationId | undefined
  private readonly cancel: Cancel

  constructor(
    private readonly session: ChatSession,
    private readonly recorder: PcmRecorder,
    private readonly createPlayer: () => PcmPlayer,
  ) {
    this.cancel = session.subscribe(() => this.connect())
  }

  get state(): BridgeState {
    return this.bridge?.state ?? (this.wanted ? 'starting' : 'idle')
  }

  /** The conversation the call is for, while it is asked for or on. */
  get conversationId(): ConversationId | undefined {
    return this.state === 'idle' ? undefined : currentConversation(this.session)?.id
  }

  start(): void {
    this.wanted = true
    this.connect()
  }

  end(): void {
    this.wanted = false
    this.bridge?.stop()
  }

  dispose(): void {
    this.end()
    this.cancel()
  }

  private connect(): void {
    const conversation = currentConversation(this.session)
    if (!this.wanted || !conversation || this.session.status !== 'online') return
    if (!conversation.voiceRoom) {
      if (this.askedRoomFor !== conversation.id)
        this.session.sendFrame({ t: 'voice.start', conversationId: conversation.id })
      this.askedRoomFor = conversation.id
      return
    }
    this.bridge ??= new VoiceBridgeClient(this.session, this.recorder, this.createPlayer())
    if (this.bridge.state === 'idle') this.bridge.start(conversation.id)
    this.wanted = false
  }
}

/**
 * A call goes along when the customer steps between the chat and the hall: the page they leave
 * ends its bridge and leaves word; the page they come to takes the word and calls again. (Two
 * bridges under one identity cannot overlap: LiveKit would drop one of them.)
 */
export const callCarrier = (platform: MiniPlatform) => ({
  leave: (conversationId: ConversationId | undefined): Promise<void> =>
    conversationId ? platform.storage.set(CARRIED_CALL_KEY, conversationId) : Promise.resolve(),
  async take(): Promise<string | undefined> {
    const carried = await platform.storage.get(CARRIED_CALL_KEY)
    if (carried) await platform.storage.remove(CARRIED_CALL_KEY)
    return carried
  },
})
