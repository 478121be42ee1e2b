import { z } from 'zod'
import { KefuError } from '../errors'
import { ConversationIdSchema, TeamIdSchema, UserIdSchema } from '../ids'
import { err, ok, type Result } from '../result'

/** Where a customer is: the platform they opened customer service on (routing and metrics use it). */
export const Channel = { Web: 'web', WeChat: 'wechat', Alipay: 'alipay', App: 'app' } as const
export type Channel = (typeof Channel)[keyof typeof Channel]
export const ChannelSchema = z.enum([Channel.Web, Channel.WeChat, Channel.Alipay, Channel.App])

/**
 * How staff replies reach the customer: kefu3d's own sockets, or WeChat's customer-service send API
 * for customers who wrote through WeChat's message push. A WeChat mini-program customer is on the
 * `wechat` channel and reached over kefu3d's sockets: the two are different questions.
 */
export const DeliveryRoute = { Kefu: 'kefu', WechatCustomerService: 'wechat_cs' } as const
export type DeliveryRoute = (typeof DeliveryRoute)[keyof typeof DeliveryRoute]
export const DeliveryRouteSchema = z.enum([DeliveryRoute.Kefu, DeliveryRoute.WechatCustomerService])

/** The life of a conversation, from first contact to resolution. */
export const ConversationState = {
  Queued: 'queued',
  Assigned: 'assigned',
  Active: 'active',
  Resolved: 'resolved',
  Abandoned: 'abandoned',
  Reopened: 'reopened',
} as const
export type ConversationState = (typeof ConversationState)[keyof typeof ConversationState]
export const ConversationStateSchema = z.enum([
  ConversationState.Queued,
  ConversationState.Assigned,
  ConversationState.Active,
  ConversationState.Resolved,
  ConversationState.Abandoned,
  ConversationState.Reopened,
])

const { Queued, Assigned, Active, Resolved, Abandoned, Reopened } = ConversationState

// Assigned -> Assigned and Active -> Assigned are direct transfers to another agent.
const LEGAL_TRANSITIONS: Readonly<Record<ConversationState, readonly ConversationState[]>> = {
  [Queued]: [Assigned, Abandoned, Resolved],
  [Assigned]: [Active, Assigned, Queued, Resolved, Abandoned],
  [Active]: [Assigned, Queued, Resolved],
  [Resolved]: [Reopened],
  [Abandoned]: [Reopened],
  [Reopened]: [Queued, Assigned],
}

/** True when `to` may follow `from`. */
export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return LEGAL_TRANSITIONS[from].includes(to)
}

/** Checks a transition, returning the new state or an `invalid_transition` error. */
export function transition(
  from: ConversationState,
  to: ConversationState,
): Result<ConversationState, KefuError> {
  return canTransition(from, to) ? ok(to) : err(KefuError.invalidTransition(from, to))
}

/** True while the conversation still needs or has an agent. */
export function isOpen(state: ConversationState): boolean {
  return state === Queued || state === Assigned || state === Active || state === Reopened
}

/**
 * Why a conversation was closed, chosen by the agent on resolving: the same short list everywhere,
 * so reports can count them (labels live with the client's translations).
 */
export const ResolutionCode = {
  Answered: 'answered',
  OrderFixed: 'order_fixed',
  Refunded: 'refunded',
  Escalated: 'escalated',
  Duplicate: 'duplicate',
  NoReply: 'no_reply',
  Other: 'other',
} as const
export type ResolutionCode = (typeof ResolutionCode)[keyof typeof ResolutionCode]
export const RESOLUTION_CODES = Object.values(ResolutionCode)
export const ResolutionCodeSchema = z.enum(RESOLUTION_CODES as [ResolutionCode, ...ResolutionCode[]])

/** A customer's satisfaction with a conversation, 1 (very unhappy) to 5 (very happy). */
export const RatingScoreSchema = z.number().int().min(1).max(5)
/** Ratings of 4 and 5 count as satisfied (CSAT is the satisfied share of ratings). */
export const SATISFIED_SCORE = 4
export const MAX_RATING_COMMENT_CHARS = 500
export const MAX_TRANSFER_NOTE_CHARS = 500

/** A conversation as clients see it. */
export const ConversationSchema = z.object({
  id: ConversationIdSchema,
  customerId: UserIdSchema,
  customerName: z.string(),
  channel: ChannelSchema,
  /** Absent from servers that predate it: they reached every customer over their own sockets. */
  delivery: DeliveryRouteSchema.default(DeliveryRoute.Kefu),
  state: ConversationStateSchema,
  teamId: TeamIdSchema,
  agentId: UserIdSchema.nullable(),
  priority: z.number().int(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
  queuedAt: z.number().nullable(),
  firstResponseAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  /** The LiveKit room once the customer asked for voice; null for text-only conversations. */
  voiceRoom: z.string().nullable(),
})
export type Conversation = z.infer<typeof ConversationSchema>
