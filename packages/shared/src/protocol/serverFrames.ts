import { z } from 'zod'
import { ConversationSchema, MessageSchema, RoleSchema } from '../domain/index'
import { ErrorCode } from '../errors'
import { ClientMessageIdSchema, ConversationIdSchema, TeamIdSchema, UserIdSchema } from '../ids'
import { HallRoleSchema } from '../spatial/hallRoles'
import { ShowcaseStateSchema } from '../spatial/showcase'
import { DashboardSnapshotSchema } from './dashboard'
import { HallStateReplySchema } from './rest'

const seq = z.number().int().nonnegative()
const ErrorCodeSchema = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]])

/**
 * What the whole service tells everyone while an emergency playbook is on (a payment outage): shown
 * as a banner on every screen, in the reader's language.
 */
export const ServiceNoticeSchema = z.object({
  playbookId: z.string().max(64),
  banner: z.object({ zh: z.string().max(200), en: z.string().max(200) }),
  since: z.number(),
})
export type ServiceNotice = z.infer<typeof ServiceNoticeSchema>

/** The server accepted the socket: who you are and which store (epoch) cursors refer to. */
export const WelcomeFrameSchema = z.object({
  t: z.literal('welcome'),
  v: z.number().int().positive(),
  epoch: z.string(),
  userId: UserIdSchema,
  role: RoleSchema,
  displayName: z.string(),
  conversations: z.array(ConversationSchema),
  /** A staff member's teams; absent for customers and from servers that predate it. */
  teams: z.array(TeamIdSchema).optional(),
  /** What this server offers beyond text; absent from servers that predate it (nothing extra). */
  features: z.object({ voice: z.boolean() }).optional(),
  /** The service-wide notice in force; absent or null when there is none. */
  notice: ServiceNoticeSchema.nullable().optional(),
})

/** The message with this `cid` is stored as `seq`. */
export const AckFrameSchema = z.object({
  t: z.literal('ack'),
  conversationId: ConversationIdSchema,
  cid: ClientMessageIdSchema,
  seq: seq,
  createdAt: z.number(),
})

/** A message for a conversation you take part in, including your own from other devices. */
export const NewMessageFrameSchema = z.object({ t: z.literal('message.new'), message: MessageSchema })

/** Replay after a cursor; ask again from the last seq while `hasMore`. */
export const SyncBatchFrameSchema = z.object({
  t: z.literal('sync.batch'),
  conversationId: ConversationIdSchema,
  epoch: z.string(),
  messages: z.array(MessageSchema),
  hasMore: z.boolean(),
})

/**
 * Frames for this device may have been lost on the way (a node of the cluster was cut off from the
 * others for a while): sync every conversation from its cursor. Older clients skip it.
 */
export const SyncHintFrameSchema = z.object({ t: z.literal('sync.hint') })

/** The cursor cannot be replayed (store reset or too old): page history from scratch. */
export const SyncResetFrameSchema = z.object({
  t: z.literal('sync.reset'),
  conversationId: ConversationIdSchema,
  epoch: z.string(),
  reason: z.enum(['epoch_changed', 'cursor_ahead']),
  lastSeq: seq,
})

export const TypingBroadcastFrameSchema = z.object({
  t: z.literal('typing'),
  conversationId: ConversationIdSchema,
  userId: UserIdSchema,
  role: RoleSchema,
  isTyping: z.boolean(),
})

export const ReadBroadcastFrameSchema = z.object({
  t: z.literal('read'),
  conversationId: ConversationIdSchema,
  userId: UserIdSchema,
  role: RoleSchema,
  seq: seq,
})

/** Lifecycle changes, each carrying the conversation as it now is. */
export const ConversationEventKind = {
  Opened: 'conversation.opened',
  Queued: 'conversation.queued',
  Assigned: 'conversation.assigned',
  Transferred: 'conversation.transferred',
  Resolved: 'conversation.resolved',
  Reopened: 'conversation.reopened',
  Abandoned: 'conversation.abandoned',
  Updated: 'conversation.updated',
} as const
export type ConversationEventKind = (typeof ConversationEventKind)[keyof typeof ConversationEventKind]

const conversationEvent = <K extends ConversationEventKind>(kind: K) =>
  z.object({ t: z.literal(kind), conversation: ConversationSchema })

export const ConversationOpenedFrameSchema = conversationEvent(ConversationEventKind.Opened)
export const ConversationQueuedFrameSchema = conversationEvent(ConversationEventKind.Queued).extend({
  position: z.number().int().positive(),
})
export const ConversationAssignedFrameSchema = conversationEvent(ConversationEventKind.Assigned).extend({
  agentName: z.string(),
})
export const ConversationTransferredFrameSchema = conversationEvent(ConversationEventKind.Transferred).extend(
  {
    fromAgentId: UserIdSchema.nullable(),
  },
)
export const ConversationResolvedFrameSchema = conversationEvent(ConversationEventKind.Resolved)
export const ConversationReopenedFrameSchema = conversationEvent(ConversationEventKind.Reopened)
export const ConversationAbandonedFrameSchema = conversationEvent(ConversationEventKind.Abandoned)
export const ConversationUpdatedFrameSchema = conversationEvent(ConversationEventKind.Updated)

/** An agent came online, went away or dropped. */
export const PresenceFrameSchema = z.object({
  t: z.literal('presence'),
  userId: UserIdSchema,
  status: z.enum(['available', 'away', 'offline']),
})

/** Something the client sent was refused; `ref` names the frame type or cid it concerns. */
export const ErrorFrameSchema = z.object({
  t: z.literal('error'),
  code: ErrorCodeSchema,
  message: z.string(),
  ref: z.string().optional(),
})

/** The voice bridge is in the room: binary audio frames flow both ways at `sampleRate`. */
export const BridgeReadyFrameSchema = z.object({
  t: z.literal('voice.bridge.ready'),
  conversationId: ConversationIdSchema,
  sampleRate: z.number().int().positive(),
})

/** The bridge ended: asked to, the room closed, or the socket's owner left the conversation. */
export const BridgeStoppedFrameSchema = z.object({
  t: z.literal('voice.bridge.stopped'),
  conversationId: ConversationIdSchema,
  reason: z.enum(['requested', 'room_closed', 'error']),
})

/** The server is in the hall for this socket: shard `shard`, LiveKit room `room`. */
export const HallJoinedFrameSchema = z.object({
  t: z.literal('hall.joined'),
  room: z.string(),
  shard: z.number().int().nonnegative(),
})

/** The server left the hall for this socket: asked to, or the room went away. */
export const HallLeftFrameSchema = z.object({
  t: z.literal('hall.left'),
  reason: z.enum(['requested', 'room_closed', 'error']),
})

/** Everyone else in the hall (sent on joining and whenever someone comes, goes or changes). */
export const HallRosterFrameSchema = z.object({
  t: z.literal('hall.roster'),
  people: z.array(
    z.object({
      identity: z.string().max(128),
      name: z.string().max(200),
      role: HallRoleSchema,
    }),
  ),
})

/** What the hall shows of the service, as it changed (for whoever sent `hall.watch`). */
export const HallStateFrameSchema = z.object({ t: z.literal('hall.state'), state: HallStateReplySchema })

/** The supervisor dashboard as it now is (after `quality.watch`, at most once a second). */
export const QualitySnapshotFrameSchema = z.object({
  t: z.literal('quality.snapshot'),
  snapshot: DashboardSnapshotSchema,
})

/**
 * What someone in the hall presents on the showcase to this socket's person, relayed for a client
 * without WebRTC; `from` is LiveKit's stamp of the sender (clients believe only their own agent).
 */
export const HallShowcaseFrameSchema = z.object({
  t: z.literal('hall.showcase'),
  from: z.string().max(128),
  state: ShowcaseStateSchema,
})

/** A service-wide notice was switched on (or off: null), for every socket. */
export const ServiceNoticeFrameSchema = z.object({
  t: z.literal('service.notice'),
  notice: ServiceNoticeSchema.nullable(),
})

export const PongFrameSchema = z.object({ t: z.literal('pong'), at: z.number().optional() })

/** Every frame the server may send. */
export const ServerFrameSchema = z.discriminatedUnion('t', [
  WelcomeFrameSchema,
  AckFrameSchema,
  NewMessageFrameSchema,
  SyncBatchFrameSchema,
  SyncHintFrameSchema,
  SyncResetFrameSchema,
  TypingBroadcastFrameSchema,
  ReadBroadcastFrameSchema,
  ConversationOpenedFrameSchema,
  ConversationQueuedFrameSchema,
  ConversationAssignedFrameSchema,
  ConversationTransferredFrameSchema,
  ConversationResolvedFrameSchema,
  ConversationReopenedFrameSchema,
  ConversationAbandonedFrameSchema,
  ConversationUpdatedFrameSchema,
  PresenceFrameSchema,
  BridgeReadyFrameSchema,
  BridgeStoppedFrameSchema,
  ErrorFrameSchema,
  HallJoinedFrameSchema,
  HallLeftFrameSchema,
  HallRosterFrameSchema,
  HallStateFrameSchema,
  QualitySnapshotFrameSchema,
  HallShowcaseFrameSchema,
  ServiceNoticeFrameSchema,
  PongFrameSchema,
])
export type ServerFrame = z.infer<typeof ServerFrameSchema>
/** A server frame of one type. */
export type ServerFrameOf<T extends ServerFrame['t']> = Extract<ServerFrame, { t: T }>
