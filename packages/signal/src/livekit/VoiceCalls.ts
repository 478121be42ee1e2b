import {
  asClientMessageId,
  asUserId,
  type Conversation,
  type ConversationEventOf,
  type ConversationId,
  ErrorCode,
  isKefuError,
  isOpen,
  KefuError,
  type UserId,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import { assertCanWrite } from '../chat/access'
import type { Conversations } from '../chat/Conversations'
import type { Lifecycle } from '../chat/Lifecycle'
import type { MessageWriter } from '../chat/MessageWriter'
import type { DomainEventMap } from '../events/DomainEvents'
import type { Repository } from '../store/Repository'

/** What a verified LiveKit event means for a conversation: one of its voice events. */
export type VoiceEvent = ConversationEventOf<
  'voice.joined' | 'voice.left' | 'voice.audio_published' | 'voice.room_closed'
>

/** The media engine as conversations see it: a room per conversation that asked for voice. */
export interface VoiceHooks {
  open(conversationId: ConversationId): Promise<string>
  remove(room: string, identity: UserId): Promise<void>
  close(room: string): Promise<void>
}

export interface VoiceCallsDeps {
  repo: Repository
  conversations: Conversations
  writer: MessageWriter
  lifecycle: Pick<Lifecycle, 'markFirstResponse'>
  /** Absent when no LiveKit is configured: voice is then refused with `voice_unavailable`. */
  voice: VoiceHooks | undefined
}

/** A conversation's voice call: the customer asks for it, and LiveKit's events go into the history. */
export class VoiceCalls {
  constructor(private readonly deps: VoiceCallsDeps) {}

  /** The customer asks for voice: the conversation gets a room and its agent sees the invitation. */
  async startVoice(session: Session, conversationId: ConversationId): Promise<Conversation> {
    const voice = this.deps.voice
    if (!voice) throw new KefuError(ErrorCode.VoiceUnavailable, 'Voice is not available on this server')
    if (session.role !== 'customer') throw KefuError.forbidden('Only the customer starts a voice call')
    const { conversations, writer } = this.deps
    return conversations.withConversation(conversationId, async (conversation) => {
      assertCanWrite(session, conversation)
      if (!isOpen(conversation.state)) throw KefuError.invalidTransition(conversation.state, 'voice')
      if (conversation.voiceRoom) return conversation
      const voiceRoom = await voice.open(conversation.id)
      const withRoom = await conversations.update(conversation, { voiceRoom })
      const updated = await writer.writeEvent(withRoom, { event: 'voice.requested' })
      await conversations.changed(updated, { t: 'conversation.updated', conversation: updated })
      return updated
    })
  }

  /**
   * A verified LiveKit event: into the history, once per `upstreamId` (LiveKit redelivers); an
   * agent's first audio is the first response.
   */
  async recordVoiceEvent(
    conversationId: ConversationId,
    event: VoiceEvent,
    at: number,
    upstreamId: string,
  ): Promise<void> {
    await this.deps.conversations
      .withConversation(conversationId, async (conversation) => {
        // LiveKit names the participant on join and leave but not on every event: the history always does.
        const named =
          event.event === 'voice.room_closed' || event.name || !event.identity
            ? event
            : { ...event, name: await this.nameOf(conversation, event.identity) }
        const cid = asClientMessageId(`lk_${upstreamId}`.slice(0, 64))
        const recorded = await this.deps.writer.writeEvent(conversation, named, cid)
        const isAgentAudio =
          event.event === 'voice.audio_published' && event.identity === conversation.agentId
        if (isAgentAudio) await this.deps.lifecycle.markFirstResponse(recorded, at)
      })
      .catch((error: unknown) => {
        // A room that is no conversation (or one deleted since) has nowhere to record to.
        if (!(isKefuError(error) && error.code === ErrorCode.NotFound)) throw error
      })
  }

  /**
   * Subscribed to `conversation.changed`: a closed conversation's room closes with it, and an agent
   * who handed the conversation on leaves its call.
   */
  async handleConversationChanged({
    conversation,
    frame,
  }: DomainEventMap['conversation.changed']): Promise<void> {
    const { voiceRoom } = conversation
    if (!voiceRoom || !this.deps.voice) return
    if (frame.t === 'conversation.resolved' || frame.t === 'conversation.abandoned')
      await this.deps.voice.close(voiceRoom)
    else if (
      frame.t === 'conversation.transferred' &&
      frame.fromAgentId &&
      frame.fromAgentId !== conversation.agentId
    )
      await this.deps.voice.remove(voiceRoom, frame.fromAgentId)
  }

  private async nameOf(conversation: Conversation, userId: string): Promise<string> {
    if (userId === conversation.customerId) return conversation.customerName
    return (await this.deps.repo.getStaff(asUserId(userId)))?.displayName ?? 'Agent'
  }
}
