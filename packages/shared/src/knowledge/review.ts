import { z } from 'zod'
import { KnowledgeEntrySchema, validDays } from './entry'

/** A draft is written but not yet answering customers; a retired entry is kept, no longer used. */
export const KnowledgeStatusSchema = z.enum(['draft', 'active', 'retired'])
export type KnowledgeStatus = z.infer<typeof KnowledgeStatusSchema>

/** An entry as the knowledge base keeps it: what it says, whether it is in use, who last changed it. */
export const KnowledgeRecordSchema = z.object({
  entry: KnowledgeEntrySchema,
  status: KnowledgeStatusSchema,
  updatedAt: z.number(),
  updatedBy: z.string(),
})
export type KnowledgeRecord = z.infer<typeof KnowledgeRecordSchema>

/** How an entry has served: the assistant's answers with it and what customers made of them. */
export const KnowledgeUsageSchema = z.object({
  entryId: z.string(),
  hits: z.number().int().nonnegative(),
  helped: z.number().int().nonnegative(),
  notHelped: z.number().int().nonnegative(),
  /** Conversations handed to a person right after this entry was the answer. */
  handoffs: z.number().int().nonnegative(),
  lastHitAt: z.number().nullable(),
})
export type KnowledgeUsage = z.infer<typeof KnowledgeUsageSchema>
export type KnowledgeUse = 'hit' | 'helped' | 'not_helped' | 'handoff'

export const StaleFlagSchema = z.enum(['expired', 'never_hit', 'unhelpful', 'not_yet_valid'])
export type StaleFlag = z.infer<typeof StaleFlagSchema>

export const EntryReviewSchema = z.object({
  id: z.string(),
  status: KnowledgeStatusSchema,
  hits: z.number(),
  /** Share of votes that said it helped; null before any vote. */
  helpRate: z.number().nullable(),
  /** Share of answers followed by a hand-off to a person. */
  handoffRate: z.number().nullable(),
  flags: z.array(StaleFlagSchema),
})
export type EntryReview = z.infer<typeof EntryReviewSchema>

export const KnowledgeReviewSchema = z.object({
  day: z.string(),
  active: z.number(),
  entries: z.array(EntryReviewSchema),
  /** Active entries proposed for retirement this quarter, worst first. */
  proposedRetirement: z.array(z.string()),
})
export type KnowledgeReview = z.infer<typeof KnowledgeReviewSchema>

/** The article's aim: a healthy knowledge base retires about 15 % of its entries a quarter. */
export const QUARTERLY_RETIREMENT_SHARE = 0.15
/** Fewer votes than this say nothing about an entry's help. */
const MIN_VOTES = 5
const UNHELPFUL_BELOW = 0.4
/** An entry younger than this has not had its chance to be hit. */
const GRACE_MS = 30 * 24 * 3600_000

/**
 * The quarterly review: each entry's usefulness and what makes it stale (past its valid-until,
 * never hit after a month, voted unhelpful), and a retirement proposal of up to 15 % of the active
 * entries: expired first, then unhelpful, then never hit, the least used first within each.
 */
export function reviewKnowledge(
  records: readonly KnowledgeRecord[],
  usage: readonly KnowledgeUsage[],
  now: number,
): KnowledgeReview {
  const day = new Date(now).toISOString().slice(0, 10)
  const usageOf = new Map(usage.map((use) => [use.entryId, use]))
  // A playbook waits for an emergency: never being used is its normal state, not staleness.
  const reviewed = records.filter((record) => record.entry.tier !== 'playbook')
  const entries = reviewed.map(({ entry, status, updatedAt }): EntryReview => {
    const { validFrom, validUntil } = validDays(entry)
    const use = usageOf.get(entry.id)
    const hits = use?.hits ?? 0
    const votes = (use?.helped ?? 0) + (use?.notHelped ?? 0)
    const helpRate = votes > 0 ? (use?.helped ?? 0) / votes : null
    const flags: StaleFlag[] = []
    if (validUntil && validUntil < day) flags.push('expired')
    if (validFrom && validFrom > day) flags.push('not_yet_valid')
    if (helpRate !== null && votes >= MIN_VOTES && helpRate < UNHELPFUL_BELOW) flags.push('unhelpful')
    if (hits === 0 && now - updatedAt >= GRACE_MS) flags.push('never_hit')
    return {
      id: entry.id,
      status,
      hits,
      helpRate,
      handoffRate: hits > 0 ? (use?.handoffs ?? 0) / hits : null,
      flags,
    }
  })
  const active = entries.filter((entry) => entry.status === 'active')
  const rank = (entry: EntryReview) =>
    entry.flags.includes('expired') ? 0 : entry.flags.includes('unhelpful') ? 1 : 2
  const proposedRetirement = active
    .filter((entry) => entry.flags.some((flag) => flag !== 'not_yet_valid'))
    .sort((a, b) => rank(a) - rank(b) || a.hits - b.hits || a.id.localeCompare(b.id))
    .slice(0, Math.ceil(active.length * QUARTERLY_RETIREMENT_SHARE))
    .map((entry) => entry.id)
  return { day, active: active.length, entries, proposedRetirement }
}

/** True when an active entry may answer customers today (inside its valid days). */
export function isInForce(record: KnowledgeRecord, now: number): boolean {
  const day = new Date(now).toISOString().slice(0, 10)
  const { validFrom, validUntil } = validDays(record.entry)
  return record.status === 'active' && (!validFrom || validFrom <= day) && (!validUntil || day <= validUntil)
}
