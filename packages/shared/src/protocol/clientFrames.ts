import { z } from 'zod'
import {
  AttachmentSchema,
  ChannelSchema,
  isVisiblyEmpty,
  MAX_MESSAGE_CHARS,
  MAX_RATING_COMMENT_CHARS,
  MAX_TRANSFER_NOTE_CHARS,
  peopleText,
  RatingScoreSchema,
  ResolutionCodeSchema,
  SendableKindSchema,
} from '../domain/index'
import { ClientMessageIdSchema, ConversationIdSchema, TeamIdSchema, UserIdSchema } from '../ids'

const seq = z.number().int().nonnegative()

/** First frame on every socket: the client's protocol version and device. */
export const HelloFrameSchema = z.object({
  t: z.literal('hello'),
  v: z.number().int().positive(),
  deviceId: z.string().min(1).max(64),
})

/**
 * Opens the customer's conversation, or returns the one already open. Its channel is the session's;
 * `channel`, if sent, must say the same.
 */
export const OpenConversationFrameSchema = z.object({
  t: z.literal('conversation.open'),
  channel: ChannelSchema.optional(),
})

/** Sends a message; `cid` makes resending safe. */
export const SendMessageFrameSchema = z
  .object({
    t: z.literal('message.send'),
    conversationId: ConversationIdSchema,
    cid: ClientMessageIdSchema,
    kind: SendableKindSchema.default('text'),
    body: peopleText(MAX_MESSAGE_CHARS),
    attachment: AttachmentSchema.optional(),
  })
  // Only zero-width or control characters show nothing: that is no message either.
  .refine((frame) => frame.kind !== 'text' || !isVisiblyEmpty(frame.body), {
    message: 'A text message needs a body',
    path: ['body'],
  })

/** Asks for every message after `afterSeq`; `epoch` is the store the cursor came from. */
export const SyncRequestFrameSchema = z.object({
  t: z.literal('sync.request'),
  conversationId: ConversationIdSchema,
  afterSeq: seq,
  epoch: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(500).default(200),
})

/** The sender started or stopped typing. */
export const TypingFrameSchema = z.object({
  t: z.literal('typing'),
  conversationId: ConversationIdSchema,
  isTyping: z.boolean(),
})

/** The reader has seen everything up to `seq`. */
export const ReadFrameSchema = z.object({
  t: z.literal('read'),
  conversationId: ConversationIdSchema,
  seq: seq,
})

/** An agent hands the conversation to another team or agent. */
export const TransferFrameSchema = z
  .object({
    t: z.literal('conversation.transfer'),
    conversationId: ConversationIdSchema,
    toTeamId: TeamIdSchema.optional(),
    toAgentId: UserIdSchema.optional(),
    note: peopleText(MAX_TRANSFER_NOTE_CHARS).optional(),
  })
  .refine((frame) => frame.toTeamId !== undefined || frame.toAgentId !== undefined, {
    message: 'Name a team or an agent to transfer to',
  })

/** Closes the conversation as resolved; staff say why with a resolution code. */
export const ResolveFrameSchema = z.object({
  t: z.literal('conversation.resolve'),
  conversationId: ConversationIdSchema,
  code: ResolutionCodeSchema.optional(),
})

/** The customer rates a resolved conversation; the first rating stands, a repeat changes nothing. */
export const RateFrameSchema = z.object({
  t: z.literal('conversation.rate'),
  conversationId: ConversationIdSchema,
  score: RatingScoreSchema,
  comment: peopleText(MAX_RATING_COMMENT_CHARS).optional(),
})

/** A supervisor's dashboard: `quality.snapshot` frames, at most one a second, until unwatched. */
export const WatchQualityFrameSchema = z.object({
  t: z.literal('quality.watch'),
  /** The window the tiles cover (default the last hour). */
  windowMs: z
    .number()
    .int()
    .min(5 * 60_000)
    .max(7 * 24 * 3600_000)
    .optional(),
})
export const UnwatchQualityFrameSchema = z.object({ t: z.literal('quality.unwatch') })

/** The customer comes back to a resolved conversation. */
export const ReopenFrameSchema = z.object({
  t: z.literal('conversation.reopen'),
  conversationId: ConversationIdSchema,
})

/** An agent's availability for new conversations. */
export const AgentStatusFrameSchema = z.object({
  t: z.literal('agent.status'),
  status: z.enum(['available', 'away']),
})

/** The customer asks to talk by voice: the conversation gets a LiveKit room and its agent is invited. */
export const StartVoiceFrameSchema = z.object({
  t: z.literal('voice.start'),
  conversationId: ConversationIdSchema,
})

/**
 * A client without WebRTC (a mini-program) puts its voice through the server: after this, binary
 * frames carry its microphone PCM into the room and the room's audio back.
 */
export const StartBridgeFrameSchema = z.object({
  t: z.literal('voice.bridge.start'),
  conversationId: ConversationIdSchema,
  sampleRate: z.union([z.literal(8000), z.literal(16000), z.literal(48000)]),
})

export const StopBridgeFrameSchema = z.object({
  t: z.literal('voice.bridge.stop'),
  conversationId: ConversationIdSchema,
})

/**
 * A client without WebRTC (a mini-program) enters the 3D hall through the server: after this,
 * binary pose frames go up and everyone else's come down (`PoseFrameKind`).
 */
export const JoinHallFrameSchema = z.object({ t: z.literal('hall.join') })
export const LeaveHallFrameSchema = z.object({ t: z.literal('hall.leave') })

/** Any client showing the hall: the server pushes `hall.state` on every change, until unwatched. */
export const WatchHallFrameSchema = z.object({ t: z.literal('hall.watch') })
export const UnwatchHallFrameSchema = z.object({ t: z.literal('hall.unwatch') })

/** Keep-alive that also measures round trips. */
export const PingFrameSchema = z.object({ t: z.literal('ping'), at: z.number().optional() })

/** Every frame a client may send. */
export const ClientFrameSchema = z.discriminatedUnion('t', [
  HelloFrameSchema,
  OpenConversationFrameSchema,
  SendMessageFrameSchema,
  SyncRequestFrameSchema,
  TypingFrameSchema,
  ReadFrameSchema,
  TransferFrameSchema,
  ResolveFrameSchema,
  RateFrameSchema,
  ReopenFrameSchema,
  AgentStatusFrameSchema,
  StartVoiceFrameSchema,
  StartBridgeFrameSchema,
  StopBridgeFrameSchema,
  JoinHallFrameSchema,
  LeaveHallFrameSchema,
  WatchHallFrameSchema,
  UnwatchHallFrameSchema,
  WatchQualityFrameSchema,
  UnwatchQualityFrameSchema,
  PingFrameSchema,
])
export type ClientFrame = z.infer<typeof ClientFrameSchema>
/** A client frame as written by the sender, before defaults are applied. */
export type ClientFrameInput = z.input<typeof ClientFrameSchema>
