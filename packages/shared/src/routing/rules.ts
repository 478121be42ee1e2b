import { z } from 'zod'
import type { CustomerTraits } from '../domain/index'
import { ChannelSchema } from '../domain/index'
import { asTeamId, type TeamId, TeamIdSchema } from '../ids'

const DAY_MS = 24 * 60 * 60 * 1000

/** A condition on the customer; every field present must hold. */
export const RuleConditionSchema = z.object({
  vipLevelAbove: z.number().int().optional(),
  purchasedWithinDays: z.number().positive().optional(),
  channels: z.array(ChannelSchema).optional(),
  languages: z.array(z.string()).optional(),
})
export type RuleCondition = z.infer<typeof RuleConditionSchema>

/** Route to `team` when `when` holds; rules are tried in order. */
export const TeamRuleSchema = z.object({ team: TeamIdSchema, when: RuleConditionSchema.default({}) })
export type TeamRule = z.infer<typeof TeamRuleSchema>

/** A team, its answer-time target and where its queue overflows to. */
export const TeamConfigSchema = z.object({
  id: TeamIdSchema,
  name: z.string().min(1),
  answerTargetMs: z.number().int().positive(),
  overflow: z.object({ afterMs: z.number().int().nonnegative(), toTeam: TeamIdSchema }).optional(),
})
export type TeamConfig = z.infer<typeof TeamConfigSchema>

/** The whole routing policy: data, so operators change it without touching code. */
export const RoutingConfigSchema = z
  .object({
    teams: z.array(TeamConfigSchema).min(1),
    rules: z.array(TeamRuleSchema),
    fallbackTeam: TeamIdSchema,
  })
  .superRefine((config, ctx) => {
    const known = new Set(config.teams.map((team) => team.id))
    const named = [
      config.fallbackTeam,
      ...config.rules.map((rule) => rule.team),
      ...config.teams.flatMap((team) => (team.overflow ? [team.overflow.toTeam] : [])),
    ]
    for (const id of named) {
      if (!known.has(id)) ctx.addIssue({ code: 'custom', message: `Unknown team ${id}` })
    }
  })
export type RoutingConfig = z.infer<typeof RoutingConfigSchema>

const team = asTeamId

/**
 * The article's policy: VIP level above 3 goes to premium (answered within 15 s), a purchase in
 * the last 7 days goes to retention, everyone else to general. Premium and retention overflow to
 * general after a wait so nobody waits forever for a busy specialist team.
 */
export const DEFAULT_ROUTING_CONFIG: RoutingConfig = {
  teams: [
    {
      id: team('premium'),
      name: 'Premium support',
      answerTargetMs: 15_000,
      overflow: { afterMs: 60_000, toTeam: team('general') },
    },
    {
      id: team('retention'),
      name: 'Retention team',
      answerTargetMs: 30_000,
      overflow: { afterMs: 120_000, toTeam: team('general') },
    },
    { id: team('general'), name: 'General support', answerTargetMs: 60_000 },
  ],
  rules: [
    { team: team('premium'), when: { vipLevelAbove: 3 } },
    { team: team('retention'), when: { purchasedWithinDays: 7 } },
  ],
  fallbackTeam: team('general'),
}

function matches(condition: RuleCondition, traits: CustomerTraits, now: number): boolean {
  if (condition.vipLevelAbove !== undefined && !(traits.vipLevel > condition.vipLevelAbove)) return false
  if (condition.purchasedWithinDays !== undefined) {
    if (traits.lastPurchaseAt === null) return false
    if (now - traits.lastPurchaseAt >= condition.purchasedWithinDays * DAY_MS) return false
  }
  if (condition.channels && !condition.channels.some((channel) => channel === traits.channel)) return false
  if (
    condition.languages &&
    (traits.language === undefined || !condition.languages.includes(traits.language))
  ) {
    return false
  }
  return true
}

/** Picks the team for a customer: the first rule that holds, else the fallback team. */
export function selectTeam(config: RoutingConfig, traits: CustomerTraits, now: number): TeamId {
  return config.rules.find((rule) => matches(rule.when, traits, now))?.team ?? config.fallbackTeam
}

/** Queue priority: higher is served first. VIP level leads; everyone else waits in arrival order. */
export function priorityOf(traits: CustomerTraits): number {
  return traits.vipLevel
}

/**
 * How far an angry customer moves up the queue: past every calm customer of any VIP level, so the
 * one most likely to leave (and to complain) is served first.
 */
export const ANGER_PRIORITY_BOOST = 10

/** Looks up a team's configuration. */
export function findTeam(config: RoutingConfig, id: TeamId): TeamConfig | undefined {
  return config.teams.find((candidate) => candidate.id === id)
}
