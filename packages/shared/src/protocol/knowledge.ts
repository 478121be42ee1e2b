import { z } from 'zod'
import { KnowledgeEntrySchema } from '../knowledge/entry'
import { PlaybookActivationSchema, PlaybookEntrySchema } from '../knowledge/playbook'
import { KnowledgeRecordSchema, KnowledgeStatusSchema, KnowledgeUsageSchema } from '../knowledge/review'

/** `GET /api/knowledge`: every entry with its state and how it served. */
export const KnowledgeListReplySchema = z.object({
  records: z.array(KnowledgeRecordSchema),
  usage: z.array(KnowledgeUsageSchema),
})
export type KnowledgeListReply = z.infer<typeof KnowledgeListReplySchema>

/** `POST /api/knowledge/import`: a whole file, checked before anything is stored. */
export const KnowledgeImportRequestSchema = z.object({
  format: z.enum(['jsonl', 'markdown']),
  text: z.string().min(1).max(4_000_000),
})
export const KnowledgeImportReplySchema = z.object({ imported: z.number().int() })
/** A refused import: the error reply with every bad line and field. */
export const KnowledgeImportRefusalSchema = z.object({
  code: z.literal('bad_request'),
  message: z.string(),
  problems: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })),
})

/** `PUT /api/knowledge/:id`: create or edit an entry, optionally changing its state. */
export const KnowledgeSaveRequestSchema = z.object({
  entry: KnowledgeEntrySchema,
  status: KnowledgeStatusSchema.optional(),
})
export const KnowledgeStatusRequestSchema = z.object({ status: KnowledgeStatusSchema })

/** `POST /api/knowledge/ask`: what the knowledge base would answer, with scores ("ask the KB"). */
export const KnowledgeAskRequestSchema = z.object({
  q: z.string().trim().min(1).max(1000),
  k: z.number().int().min(1).max(10).default(3),
})
export const KnowledgeHitSchema = z.object({
  id: z.string(),
  /** A flow's hit names the flow (its title as the answer): the assistant runs it, nobody pastes it. */
  tier: z.enum(['faq', 'flow']),
  question: z.string(),
  answer: z.string(),
  lang: z.enum(['zh', 'en']),
  score: z.number(),
  confidence: z.number(),
  /** How close its nearest question variant means to the question (cosine), when ranked by meaning. */
  similarity: z.number().optional(),
})
export type KnowledgeHit = z.infer<typeof KnowledgeHitSchema>
export const KnowledgeAskReplySchema = z.object({
  hits: z.array(KnowledgeHitSchema),
  /** The assistant answers only from this confidence on. */
  minConfidence: z.number(),
})

/** `PUT /api/knowledge/:id` and `POST /api/knowledge/:id/status`: the entry as now stored. */
export const KnowledgeRecordReplySchema = z.object({ record: KnowledgeRecordSchema })

/** `GET /api/playbooks`: the emergency playbooks, the one on (if any) and who switched what when. */
export const PlaybooksReplySchema = z.object({
  playbooks: z.array(PlaybookEntrySchema.extend({ status: KnowledgeStatusSchema })),
  active: PlaybookActivationSchema.nullable(),
  activations: z.array(PlaybookActivationSchema),
})
export type PlaybooksReply = z.infer<typeof PlaybooksReplySchema>
/** `POST /api/playbooks/:id/activate` and `POST /api/playbooks/deactivate`. */
export const PlaybookSwitchReplySchema = z.object({ activation: PlaybookActivationSchema.nullable() })
