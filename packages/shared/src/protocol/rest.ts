import { z } from 'zod'
import {
  ConversationSchema,
  MessageSchema,
  ProductCatalogueSchema,
  peopleText,
  RoleSchema,
} from '../domain/index'
import { ErrorCode } from '../errors'
import { TeamIdSchema, UserIdSchema } from '../ids'

/** `POST /api/customer/session`: a customer's (or guest's) socket token. */
export const CustomerSessionReplySchema = z.object({
  token: z.string().min(1),
  userId: UserIdSchema,
  displayName: z.string(),
  isGuest: z.boolean(),
})

/** `POST /api/agent/login`: a staff member's token and who they are. */
export const StaffLoginReplySchema = z.object({
  token: z.string().min(1),
  userId: UserIdSchema,
  displayName: z.string(),
  role: RoleSchema,
  teams: z.array(TeamIdSchema),
})

/** How many replies a conversation's delivery route still allows (WeChat's window). */
export const ReplyWindowSchema = z.object({ remaining: z.number().int().nonnegative(), closesAt: z.number() })

/** What an agent handing a conversation over told the next one. Staff only: the history is the customer's too. */
export const HandoverNoteSchema = z.object({
  at: z.number(),
  authorId: UserIdSchema,
  authorName: z.string(),
  note: z.string(),
})
export type HandoverNote = z.infer<typeof HandoverNoteSchema>

/** Who the customer is, as staff see them beside the conversation (from the verified profile). */
export const CustomerCardSchema = z.object({
  displayName: z.string(),
  vipLevel: z.number().int(),
  lastPurchaseAt: z.number().nullable(),
  platform: z.string(),
  isGuest: z.boolean(),
  devicesOnline: z.number().int().nonnegative(),
  /** Their other conversations, newest first. */
  earlier: z.array(
    z.object({
      id: z.string(),
      createdAt: z.number(),
      state: z.string(),
      channel: z.string(),
      teamId: z.string(),
    }),
  ),
})
export type CustomerCard = z.infer<typeof CustomerCardSchema>

/** `GET /api/conversations/:id`. */
export const ConversationDetailReplySchema = z.object({
  conversation: ConversationSchema,
  readMarks: z.record(z.string(), z.number()),
  replyWindow: ReplyWindowSchema.optional(),
  /** Handover notes, oldest first; only in staff's answers. */
  notes: z.array(HandoverNoteSchema).optional(),
  /** The customer's card; only in staff's answers. */
  customer: CustomerCardSchema.optional(),
})
export type ConversationDetailReply = z.infer<typeof ConversationDetailReplySchema>

/** A saved reply an agent inserts by typing `/` and its name: their own, or their team's. */
export const CannedReplySchema = z.object({
  id: z.string(),
  name: z.string(),
  body: z.string(),
  /** Set for a team's reply; null for a personal one. */
  teamId: z.string().nullable(),
  ownerId: z.string().nullable(),
})
export type CannedReply = z.infer<typeof CannedReplySchema>
export const CannedRepliesReplySchema = z.object({ replies: z.array(CannedReplySchema) })
/** A new canned reply: personal unless a team is named (a supervisor of that team may). */
export const NewCannedReplySchema = z.object({
  name: z.string().regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'A name is one word: letters, digits, - or _'),
  body: peopleText(2000).trim().min(1),
  teamId: TeamIdSchema.optional(),
})

/** `GET /api/conversations/:id/messages`: one page of history, oldest first. */
export const HistoryPageReplySchema = z.object({ messages: z.array(MessageSchema), hasMore: z.boolean() })

/** `GET /api/teams`. */
export const TeamsReplySchema = z.object({
  teams: z.array(z.object({ id: TeamIdSchema, name: z.string(), answerTargetMs: z.number() })),
})

/** `POST /api/conversations/:id/voice-token`: where and how to join the conversation's room. */
export const VoiceTokenReplySchema = z.object({
  url: z.string().min(1),
  token: z.string().min(1),
  room: z.string().nullable(),
})

/** `POST /api/uploads`: where the stored file is served. */
export const UploadReplySchema = z.object({
  url: z.string().url(),
  mime: z.string(),
  bytes: z.number().int().nonnegative(),
})

/** `POST /api/dev/sign-profile` (development servers only). */
export const SignedProfileReplySchema = z.object({ profile: z.string(), signature: z.string() })

/** `POST /api/hall/token`: a seat in one instance (shard) of the 3D hall: poses and presence, no microphone. */
export const HallTokenReplySchema = z.object({
  url: z.string().min(1),
  token: z.string().min(1),
  room: z.string().min(1),
  shard: z.number().int().positive(),
})

/** How a desk looks from the hall: staffed and free, staffed and busy, or empty. */
export const DeskAvailabilitySchema = z.enum(['available', 'busy', 'away', 'offline'])

/** `GET /api/hall/state`: the hall's desks, who staffs them, and how many wait per team. */
export const HallStateReplySchema = z.object({
  teams: z.array(z.object({ id: TeamIdSchema, name: z.string() })),
  agents: z.array(
    z.object({
      id: UserIdSchema,
      name: z.string(),
      teams: z.array(TeamIdSchema),
      availability: DeskAvailabilitySchema,
      /** Standing at their desk in the 3D hall right now. */
      inHall: z.boolean(),
    }),
  ),
  waiting: z.record(z.string(), z.number().int().nonnegative()),
})
export type HallStateReply = z.infer<typeof HallStateReplySchema>

/** `GET /api/products`: what agents can present on the hall's showcase. */
export const ProductsReplySchema = z.object({ products: ProductCatalogueSchema })

/** `GET /api/embedding`: the pages that may embed the chat frame and receive its session. */
export const EmbeddingReplySchema = z.object({ origins: z.union([z.literal('*'), z.array(z.string())]) })

/** Every refused request: a stable code and a message for people. */
export const ErrorReplySchema = z.object({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
})

// Absent spans are sent as absent keys (JSON has no undefined).
const span = z
  .object({ from: z.number().int(), to: z.number().int() })
  .optional()
  .transform((value) => value)
/** `GET /api/staffing`: a team's day forecast from its history, staffed by Erlang C and the shift plan. */
export const StaffingReplySchema = z.object({
  team: z.string(),
  days: z.number(),
  ahtS: z.number(),
  arrivals: z.array(z.number()),
  intervals: z.array(
    z.object({
      erlangs: z.number(),
      onPhones: z.number(),
      scheduled: z.number(),
      serviceLevel: z.number(),
      occupancy: z.number(),
      waitProbability: z.number(),
      asaS: z.number(),
    }),
  ),
  plan: z.object({
    normal: z.number(),
    openSpan: span,
    base: z.number(),
    peak: z.number(),
    peakSpan: span,
    partTime: z.array(z.number()),
    covered: z.array(z.number()),
    hours: z.object({ plan: z.number(), flatAtPeak: z.number() }),
  }),
})
export type StaffingReply = z.infer<typeof StaffingReplySchema>
