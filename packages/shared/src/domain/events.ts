import { z } from 'zod'
import { TeamIdSchema, UserIdSchema } from '../ids'
import {
  ChannelSchema,
  DeliveryRouteSchema,
  MAX_RATING_COMMENT_CHARS,
  RatingScoreSchema,
  ResolutionCodeSchema,
} from './conversation'

/** Why the assistant passed a conversation to a person. */
export const BotHandoffReasonSchema = z.enum([
  'asked_for_human',
  'not_helped',
  'low_confidence',
  'anger',
  'flow',
])
export type BotHandoffReason = z.infer<typeof BotHandoffReasonSchema>

const VoiceParticipant = {
  /** The LiveKit identity (a user id) and the name shown for it, when the event names someone. */
  identity: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
}

/**
 * Everything that happens to a conversation besides people's messages, as stored in its history
 * (a message of kind `event` whose body is this, as JSON) and read by every client. New kinds
 * (ratings, the bot, emotion, tours) are added here, and every reader learns them in one place.
 */
export const ConversationEventSchema = z.discriminatedUnion('event', [
  /** The first event of every conversation: where the customer is and how replies reach them. */
  z.object({ event: z.literal('created'), channel: ChannelSchema, delivery: DeliveryRouteSchema }),
  z.object({ event: z.literal('queued'), teamId: TeamIdSchema }),
  /** The customer's variant in a running experiment (written after `created`, once per experiment). */
  z.object({ event: z.literal('experiment'), experimentId: z.string().max(40), variant: z.string().max(20) }),
  z.object({ event: z.literal('assigned'), agentId: UserIdSchema, agentName: z.string() }),
  z.object({
    event: z.literal('transferred'),
    fromAgentId: UserIdSchema.nullable(),
    /** Set for a transfer to a team's queue. */
    toTeamId: TeamIdSchema.optional(),
    /** Set for a transfer straight to an agent. */
    toAgentId: UserIdSchema.optional(),
    agentName: z.string().optional(),
    /** The agent handing over left a note for the next one (staff read it in the conversation's detail). */
    hasNote: z.boolean().optional(),
  }),
  z.object({ event: z.literal('requeued'), fromAgentId: UserIdSchema }),
  z.object({ event: z.literal('resolved'), by: UserIdSchema, code: ResolutionCodeSchema.optional() }),
  z.object({ event: z.literal('abandoned'), by: UserIdSchema }),
  z.object({ event: z.literal('reopened') }),
  /** The customer's satisfaction rating, asked for on resolution; one per conversation. */
  z.object({
    event: z.literal('rated'),
    score: RatingScoreSchema,
    comment: z.string().max(MAX_RATING_COMMENT_CHARS).optional(),
  }),
  z.object({ event: z.literal('voice.requested') }),
  z.object({ event: z.literal('voice.joined'), ...VoiceParticipant }),
  z.object({ event: z.literal('voice.left'), ...VoiceParticipant }),
  z.object({ event: z.literal('voice.audio_published'), ...VoiceParticipant }),
  z.object({ event: z.literal('voice.room_closed') }),
  /** The customer stepped into the 3D hall during this conversation (the `hall` channel of the figures). */
  z.object({ event: z.literal('hall.entered') }),
  /** The assistant took the conversation first; it is queued for a person only on hand-off. */
  z.object({ event: z.literal('bot.engaged'), teamId: TeamIdSchema }),
  /**
   * The assistant answered from the knowledge base (its words are the message before): which entry,
   * how sure, and the quick replies the customer may tap (each sent as the customer's own words).
   */
  z.object({
    event: z.literal('bot.answered'),
    entryId: z.string().max(64),
    confidence: z.number().min(0).max(1),
    quickReplies: z.array(z.string().max(20)).max(4),
    /** With a language model (`LLM_BASE_URL`): the entries its composed answer cites, in order. */
    citations: z.array(z.string().max(64)).max(10).optional(),
  }),
  /** The customer said whether the answer helped. */
  z.object({ event: z.literal('bot.feedback'), entryId: z.string().max(64), helped: z.boolean() }),
  /** The assistant passed the conversation to a person, and why. */
  z.object({ event: z.literal('bot.handed_off'), reason: BotHandoffReasonSchema }),
  /**
   * A scenario flow moved on (its words are the messages before): where it waits now, what it has
   * learnt, and the quick replies of the step it waits at. The latest one is the flow's state.
   */
  z.object({
    event: z.literal('flow.step'),
    flowId: z.string().max(64),
    at: z.string().max(40),
    slots: z.record(z.string().max(40), z.string().max(500)),
    attempts: z.number().int().min(0).max(10),
    quickReplies: z.array(z.string().max(20)).max(4),
  }),
  /** A flow asked the integrator's webhook, and whether it answered. */
  z.object({
    event: z.literal('flow.called'),
    flowId: z.string().max(64),
    action: z.string().max(40),
    ok: z.boolean(),
  }),
  /** A flow ended: resolved by the assistant, or handed to a person. */
  z.object({
    event: z.literal('flow.ended'),
    flowId: z.string().max(64),
    outcome: z.enum(['resolved', 'handoff']),
  }),
  /** A customer's message read as angry above the threshold: the conversation moved up the queue. */
  z.object({
    event: z.literal('emotion.flagged'),
    emotion: z.enum(['anger', 'anxiety', 'sadness']),
    intensity: z.number().min(0).max(1),
    priority: z.number().int(),
  }),
  /**
   * The emergency playbook switched on (`activationId`) spoke to the customer: its banner (to a
   * customer whose channel shows no banner, WeChat's customer-service messages) or its auto-reply.
   * Its words are the message before.
   */
  z.object({
    event: z.literal('playbook.said'),
    playbookId: z.string().max(64),
    activationId: z.string().max(64),
    said: z.enum(['banner', 'auto_reply']),
  }),
  /**
   * Help offered before the customer asked: a proactive rule held on what the shop posted (its
   * words are the message before), with the replies the customer may tap.
   */
  z.object({
    event: z.literal('proactive.offered'),
    ruleId: z.string().max(40),
    quickReplies: z.array(z.string().max(40)).max(4),
  }),
  /** An emergency playbook moved the conversation in the queue: up when on, back when switched off. */
  z.object({
    event: z.literal('playbook.priority'),
    playbookId: z.string().max(64),
    activationId: z.string().max(64),
    delta: z.number().int(),
    priority: z.number().int(),
  }),
])
/** One conversation event. */
export type ConversationEvent = z.infer<typeof ConversationEventSchema>
/** The name of one kind of conversation event. */
export type ConversationEventName = ConversationEvent['event']
/** A conversation event of one kind. */
export type ConversationEventOf<E extends ConversationEventName> = Extract<ConversationEvent, { event: E }>

/**
 * Reads an event message's body. Undefined for a body that is not an event this version knows
 * (written by a newer server, or damaged): readers show a neutral line for it, never fail.
 */
export function parseConversationEvent(body: string): ConversationEvent | undefined {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  const parsed = ConversationEventSchema.safeParse(json)
  return parsed.success ? parsed.data : undefined
}
