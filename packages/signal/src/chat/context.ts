import type {
  Clock,
  Conversation,
  ConversationId,
  IdSource,
  Logger,
  Message,
  Router,
  RoutingConfig,
  UserId,
} from '@kefu/shared'
import type { Metrics } from '../http/metrics'
import type { Repository } from '../store/Repository'
import type { Fanout } from './Fanout'
import type { KeyedLock } from './KeyedLock'

/** The media engine as the chat core sees it: rooms that follow conversations. */
export interface VoiceHooks {
  open(conversationId: ConversationId): Promise<string>
  relay(conversation: Conversation, message: Message): Promise<void>
  remove(room: string, identity: UserId): Promise<void>
  close(room: string): Promise<void>
}

/** A channel that delivers staff replies outside kefu3d's own sockets (WeChat's send API). */
export interface OutboundChannel {
  /** Refuses (throws) before anything is stored when the channel will not take another reply. */
  reserve(conversation: Conversation): Promise<void>
  deliver(conversation: Conversation, message: Message): Promise<void>
}

/** What the chat services share; built once in server.ts. */
export interface ChatContext {
  repo: Repository
  router: Router
  routing: RoutingConfig
  fanout: Fanout
  locks: KeyedLock
  clock: Clock
  ids: IdSource
  logger: Logger
  metrics: Metrics
  /** Absent when no LiveKit is configured: voice is then refused with `voice_unavailable`. */
  voice?: VoiceHooks | undefined
  /** Channels whose customers are reached through another platform, by conversation channel. */
  outbound?: Partial<Record<Conversation['channel'], OutboundChannel>>
}
