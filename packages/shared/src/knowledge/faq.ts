import { z } from 'zod'

/** The languages knowledge entries are written in. */
export const KnowledgeLangSchema = z.enum(['zh', 'en'])
export type KnowledgeLang = z.infer<typeof KnowledgeLangSchema>

/** An entry's id, of any tier: what import, the REST paths and the history name it by. */
export const KnowledgeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, . _ or -, at most 64')
/** A text of an entry: trimmed, not empty, at most `max` characters. */
export const entryText = (max: number) => z.string().trim().min(1).max(max)
/** A day an entry is valid from or until. */
export const entryDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')

/**
 * A frequently asked question, the knowledge base's first tier: the ways customers ask it, the
 * answer, tags, and the days it is valid (a promotion's terms expire). As one JSON Lines record:
 * `{"id","tier":"faq","questions":[...],"answer","tags":[...],"lang":"zh"|"en"}`, with
 * `validFrom`/`validUntil` optional. Unknown keys are refused: a misspelt one would be lost silently.
 */
export const FaqEntrySchema = z
  .object({
    id: KnowledgeIdSchema,
    tier: z.literal('faq'),
    questions: z.array(entryText(300)).min(1).max(30),
    answer: entryText(4000),
    tags: z.array(entryText(40)).max(20).default([]),
    lang: KnowledgeLangSchema,
    validFrom: entryDay.optional(),
    validUntil: entryDay.optional(),
  })
  .strict()
  .refine((entry) => !entry.validFrom || !entry.validUntil || entry.validFrom <= entry.validUntil, {
    message: 'validUntil is before validFrom',
    path: ['validUntil'],
  })
export type FaqEntry = z.infer<typeof FaqEntrySchema>
