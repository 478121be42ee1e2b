import { z } from 'zod'
import { ConversationIdSchema, TeamIdSchema, UserIdSchema } from '../ids'
import type { RoutingConfig } from '../routing/rules'
import { KnowledgeIdSchema, KnowledgeLangSchema, entryText as text } from './faq'

/**
 * An emergency playbook, the knowledge base's third tier: what the service does while something is
 * broken (a payment outage). Switched on by a supervisor, it shows `banner` to every customer on
 * every channel, answers messages containing one of `match` with `autoReply` in the customer's
 * language, and changes routing: every team's queue overflows to `routing.overflowTo` after
 * `routing.overflowAfterMs`, and matching conversations move up the queue by `priorityBoost`. As one
 * JSON Lines record: `{"id","tier":"playbook","lang","title","match":[...],"banner":{"zh","en"},
 * "autoReply":{"zh","en"},"routing":{...}}`.
 */
export const PlaybookEntrySchema = z
  .object({
    id: KnowledgeIdSchema,
    tier: z.literal('playbook'),
    lang: KnowledgeLangSchema,
    title: text(120),
    match: z.array(text(60)).min(1).max(40),
    banner: z.object({ zh: text(200), en: text(200) }).strict(),
    autoReply: z.object({ zh: text(1000), en: text(1000) }).strict(),
    routing: z
      .object({
        overflowAfterMs: z.number().int().min(0).max(3_600_000).optional(),
        overflowTo: TeamIdSchema.optional(),
        priorityBoost: z.number().int().min(0).max(100).default(0),
      })
      .strict()
      .refine((routing) => (routing.overflowTo === undefined) === (routing.overflowAfterMs === undefined), {
        message: 'overflowTo and overflowAfterMs go together',
      })
      .default({ priorityBoost: 0 }),
    tags: z.array(text(40)).max(20).default([]),
  })
  .strict()
export type PlaybookEntry = z.infer<typeof PlaybookEntrySchema>

/** Whether a customer's message is about the emergency: it contains one of the playbook's phrases. */
export function matchesPlaybook(playbook: PlaybookEntry, message: string): boolean {
  const said = message.normalize('NFKC').toLowerCase()
  return playbook.match.some((phrase) => said.includes(phrase.normalize('NFKC').toLowerCase()))
}

/**
 * The routing policy while a playbook is on: every team but the overflow team itself overflows
 * there after the playbook's wait (replacing its own overflow). A playbook without an overflow
 * leaves the policy as it is; the policy itself is never changed, so switching off restores it.
 */
export function routingDuring(playbook: PlaybookEntry, config: RoutingConfig): RoutingConfig {
  const { overflowTo, overflowAfterMs } = playbook.routing
  if (overflowTo === undefined || overflowAfterMs === undefined) return config
  return {
    ...config,
    teams: config.teams.map((team) =>
      team.id === overflowTo ? team : { ...team, overflow: { afterMs: overflowAfterMs, toTeam: overflowTo } },
    ),
  }
}

/**
 * One time a playbook was switched on, by whom and when, and off again. The playbook is kept as it
 * was switched on (an edit while it runs changes nothing until the next time), and `boosted` lists
 * the conversations it moved up the queue, so switching off can move exactly those back.
 */
export const PlaybookActivationSchema = z.object({
  id: z.string().max(64),
  playbook: PlaybookEntrySchema,
  activatedBy: UserIdSchema,
  activatedByName: z.string().max(200),
  activatedAt: z.number(),
  deactivatedBy: UserIdSchema.nullable(),
  deactivatedByName: z.string().max(200).nullable(),
  deactivatedAt: z.number().nullable(),
  boosted: z.array(ConversationIdSchema),
})
export type PlaybookActivation = z.infer<typeof PlaybookActivationSchema>
