import { z } from 'zod'
import { TeamRuleSchema } from '../routing/rules'

/** One way of working under test: a greeting, a routing rule set, or both. */
export const VariantSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/),
  /** Sent as the service's first message when the conversation opens. */
  greeting: z.string().min(1).max(500).optional(),
  /** Routing rules tried instead of the service's (its teams and fallback stay). */
  rules: z.array(TeamRuleSchema).optional(),
})
export type Variant = z.infer<typeof VariantSchema>

/**
 * Two variants side by side. Customers are split by a hash of the experiment and their id, so a
 * customer always meets the same variant, on every device and conversation, with no state kept.
 */
export const ExperimentSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/),
  name: z.string().min(1),
  variants: z.tuple([VariantSchema, VariantSchema]),
  /** The share of customers who get the first variant. */
  split: z.number().gt(0).lt(1).default(0.5),
  active: z.boolean().default(true),
})
export type Experiment = z.infer<typeof ExperimentSchema>
export const ExperimentsSchema = z.array(ExperimentSchema)

/**
 * FNV-1a over the text, then MurmurHash3's 32-bit finaliser: FNV alone leaves ids that differ only
 * in their last characters clustered in the high bits, which the split reads.
 */
function spreadHash(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}

/** The variant a customer gets in an experiment: the same one every time. */
export function variantFor(experiment: Experiment, customerId: string): Variant {
  const point = spreadHash(`${experiment.id}:${customerId}`) / 2 ** 32
  return point < experiment.split ? experiment.variants[0] : experiment.variants[1]
}

/**
 * The demo's experiment: does a greeting that invites the customer to describe the problem while
 * they wait (B) do better than a plain "please hold" (A)?
 */
export const DEMO_EXPERIMENTS: Experiment[] = ExperimentsSchema.parse([
  {
    id: 'greeting-invite',
    name: 'Greeting: please hold vs describe your problem',
    variants: [
      { id: 'A', greeting: '您好，正在为您安排客服，请稍候。' },
      {
        id: 'B',
        greeting: '您好！客服马上就到。您可以先把问题描述一下（订单号、截图都可以），我们接入后立刻处理。',
      },
    ],
  },
])
