import { z } from 'zod'
import { FaqEntrySchema } from './faq'
import { FlowEntrySchema } from './flow'
import { PlaybookEntrySchema } from './playbook'
import type { IndexedEntry } from './retrieval'

/** One knowledge entry of any of the three tiers: FAQ, scenario flow, emergency playbook. */
export const KnowledgeEntrySchema = z.discriminatedUnion('tier', [
  FaqEntrySchema,
  FlowEntrySchema,
  PlaybookEntrySchema,
])
export type KnowledgeEntry = z.infer<typeof KnowledgeEntrySchema>
export type KnowledgeTier = KnowledgeEntry['tier']

/** The days an entry may be used on; a playbook has none, it is in force while switched on. */
export function validDays(entry: KnowledgeEntry): {
  validFrom?: string | undefined
  validUntil?: string | undefined
} {
  return entry.tier === 'playbook' ? {} : entry
}

/** What retrieval indexes of an entry: FAQs and flows are found by question; playbooks are not. */
export function indexedEntryOf(entry: KnowledgeEntry): IndexedEntry | undefined {
  if (entry.tier === 'faq') return entry
  if (entry.tier === 'flow')
    return { id: entry.id, tier: 'flow', questions: entry.questions, answer: entry.title, lang: entry.lang }
  return undefined
}
