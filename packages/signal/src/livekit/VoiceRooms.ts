import {
  type Conversation,
  type ConversationId,
  ErrorCode,
  KefuError,
  type Logger,
  type Message,
  type UserId,
} from '@kefu/shared'
import type { RoomServiceClient } from 'livekit-server-sdk'
import { z } from 'zod'
import type { Session } from '../auth/sessionTokens'
import type { LivekitAccess } from '../livekitAccess'
import { livekitServerSdk } from '../livekitSdks'
import type { RoomClaims } from '../ports/RoomClaims'
import { RoomBot } from './RoomBot'
import type { VoiceHooks } from './VoiceCalls'

/** The identity of the server's own listener in every voice room. */
export const SCRIBE_IDENTITY = 'kefu-scribe'
/** The data topic on which stored chat is relayed into a room. */
export const CHAT_TOPIC = 'chat'
/** The RPC a room participant calls on the scribe to send chat; it answers with `{seq, createdAt}`. */
export const CHAT_RPC_METHOD = 'kefu.chat'

const RoomChatSchema = z.object({ cid: z.string().min(1).max(64), body: z.string().min(1).max(4000) })

/** What the rooms need from the chat core, given at wiring time. */
export interface VoiceRoomDeps {
  config: LivekitAccess
  logger: Logger
  /** Stores chat a participant sent inside the room, as if it came over the WebSocket. */
  storeRoomChat(session: Session, conversationId: ConversationId, cid: string, body: string): Promise<Message>
  /** Looks a conversation up, to know who may speak in its room. */
  conversation(conversationId: ConversationId): Promise<Conversation | undefined>
  /** Which node runs each room's scribe. */
  claims: RoomClaims
}

/**
 * LiveKit rooms that follow conversations: opened when voice starts, closed when the conversation
 * is resolved. A hidden server participant (the scribe) in each room hears room chat so that text
 * has one history, kept by the signal server.
 */
export class VoiceRooms implements VoiceHooks {
  private readonly services = new Map<string, Promise<RoomServiceClient>>()
  private readonly scribes = new Map<string, RoomBot>()
  private readonly encoder = new TextEncoder()

  constructor(private readonly deps: VoiceRoomDeps) {}

  /** The room API of a node that answers: in a LiveKit cluster, any node's is the cluster's. */
  private async roomService(): Promise<RoomServiceClient> {
    const { apiKey, apiSecret } = this.deps.config
    const url = await this.deps.config.nodeUrl()
    let service = this.services.get(url)
    if (!service) {
      service = livekitServerSdk().then(
        ({ RoomServiceClient }) => new RoomServiceClient(url.replace(/^ws/, 'http'), apiKey, apiSecret),
      )
      this.services.set(url, service)
    }
    return service
  }

  /** Creates the room for a conversation (idempotent) and puts the scribe in it. */
  async open(conversationId: ConversationId): Promise<string> {
    const room = conversationId
    try {
      await (await this.roomService()).createRoom({ name: room, emptyTimeout: 600, maxParticipants: 8 })
    } catch (error) {
      throw new KefuError(ErrorCode.Internal, 'The voice service cannot be reached', error)
    }
    if (await this.deps.claims.claim(room)) await this.startScribe(room, conversationId)
    return room
  }

  private async startScribe(room: string, conversationId: ConversationId): Promise<void> {
    const bot = new RoomBot()
    this.scribes.set(room, bot)
    const { AccessToken } = await livekitServerSdk()
    const token = new AccessToken(this.deps.config.apiKey, this.deps.config.apiSecret, {
      identity: SCRIBE_IDENTITY,
      ttl: 3600,
    })
    // NOTE: incoming data (RPC included) rides the subscriber connection, which LiveKit sets up only for a
    // participant that may and does subscribe; the scribe subscribes but never decodes what it receives.
    // It publishes no media, but must publish data: an RPC reply is a data packet.
    token.addGrant({
      room,
      roomJoin: true,
      hidden: true,
      canPublish: false,
      canPublishData: true,
      canSubscribe: true,
    })
    await bot.join(await this.deps.config.nodeUrl(), await token.toJwt())
    bot.handleRpc(CHAT_RPC_METHOD, (identity, payload) =>
      this.handleRoomChat(conversationId, identity, payload),
    )
    void bot.disconnected().then(() => this.rejoinScribe(room, conversationId, bot))
  }

  /**
   * A scribe that LiveKit dropped (the node hosting its room died) joins again, through a node that
   * answers, where LiveKit moves the room; one that this server took out (`close`, `stop`), or
   * whose conversation has no room any more, does not.
   */
  private async rejoinScribe(room: string, conversationId: ConversationId, gone: RoomBot): Promise<void> {
    if (this.scribes.get(room) !== gone) return
    this.scribes.delete(room)
    // A room its conversation no longer has (closed elsewhere) is not made again by joining it.
    const conversation = await this.deps.conversation(conversationId)
    if (conversation?.voiceRoom !== room) return
    await this.startScribe(room, conversationId).catch((error: unknown) => {
      this.scribes.delete(room)
      this.deps.logger.warn({ err: error, room }, 'the scribe could not join its room again')
    })
  }

  /** Stores chat from the room under the same cid/seq rules as the socket, and acks it. */
  private async handleRoomChat(
    conversationId: ConversationId,
    identity: string,
    payload: string,
  ): Promise<string> {
    let json: unknown
    try {
      json = JSON.parse(payload)
    } catch {
      throw new KefuError(ErrorCode.BadFrame, 'Room chat must be JSON {cid, body}')
    }
    const parsed = RoomChatSchema.safeParse(json)
    if (!parsed.success) throw new KefuError(ErrorCode.BadFrame, 'Room chat must be JSON {cid, body}')
    const conversation = await this.deps.conversation(conversationId)
    const session = conversation && sessionInRoom(conversation, identity)
    if (!session) throw KefuError.forbidden('Only the customer and the assigned agent may write here')
    const message = await this.deps.storeRoomChat(session, conversationId, parsed.data.cid, parsed.data.body)
    return JSON.stringify({ cid: message.cid, seq: message.seq, createdAt: message.createdAt })
  }

  /** Sends a stored message into the room, for participants who only read chat there. */
  async relay(conversation: Conversation, message: Message): Promise<void> {
    if (!conversation.voiceRoom || message.kind === 'event') return
    const payload = this.encoder.encode(
      JSON.stringify({
        cid: message.cid,
        seq: message.seq,
        authorId: message.authorId,
        body: message.body,
        createdAt: message.createdAt,
      }),
    )
    const { DataPacket_Kind } = await livekitServerSdk()
    await (await this.roomService()).sendData(conversation.voiceRoom, payload, DataPacket_Kind.RELIABLE, {
      topic: CHAT_TOPIC,
    })
  }

  /** Takes someone out of a room (an agent transferred away). */
  async remove(room: string, identity: UserId): Promise<void> {
    await (await this.roomService()).removeParticipant(room, identity).catch(() => {
      // Not in the room: nothing to take away.
    })
  }

  /** Closes a room: every participant is disconnected. */
  async close(room: string): Promise<void> {
    const scribe = this.scribes.get(room)
    this.scribes.delete(room)
    await this.deps.claims.release(room)
    await (await this.roomService())
      .deleteRoom(room)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, room }, 'room not deleted'))
    await scribe?.leave()
  }

  async stop(): Promise<void> {
    const leaving = [...this.scribes.values()]
    this.scribes.clear()
    await Promise.all(leaving.map((bot) => bot.leave()))
  }
}

function sessionInRoom(conversation: Conversation, identity: string): Session | undefined {
  if (identity === conversation.customerId) {
    return {
      userId: conversation.customerId,
      role: 'customer',
      displayName: conversation.customerName,
      teams: [],
      isGuest: false,
    }
  }
  if (identity === conversation.agentId) {
    return {
      userId: conversation.agentId,
      role: 'agent',
      displayName: '',
      teams: [conversation.teamId],
      isGuest: false,
    }
  }
  return undefined
}
