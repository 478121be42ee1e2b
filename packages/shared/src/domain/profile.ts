import { z } from 'zod'
import { ChannelSchema } from './conversation'
import { peopleText } from './text'

/**
 * A customer profile as the integrator's backend signs it. Only a verified signature makes the
 * VIP level and purchase time trustworthy; `iat` bounds how long a signed profile may be replayed.
 */
export const SignedProfileSchema = z.object({
  userId: z.string().min(1).max(100),
  name: peopleText(100).default(''),
  vipLevel: z.number().int().min(0).max(10).default(0),
  lastPurchaseAt: z.number().int().nonnegative().nullable().default(null),
  platform: ChannelSchema.default('web'),
  language: z.string().max(16).optional(),
  iat: z.number().int().positive(),
})
export type SignedProfile = z.infer<typeof SignedProfileSchema>

/** What routing knows about a customer. */
export interface CustomerTraits {
  vipLevel: number
  lastPurchaseAt: number | null
  channel: string
  language?: string | undefined
}
