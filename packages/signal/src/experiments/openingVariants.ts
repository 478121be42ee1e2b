import { type ConversationEventOf, type Experiment, type TeamRule, variantFor } from '@kefu/shared'

/** What the running experiments change for one customer's new conversation. */
export interface OpeningVariants {
  /** One `experiment` event per running experiment, for the history (and so the experiment's report). */
  events: ConversationEventOf<'experiment'>[]
  /** Routing rules tried instead of the service's, when a variant has them. */
  rules: TeamRule[] | undefined
  greeting: string | undefined
}

/**
 * Each running experiment gives the customer one variant, always the same (a hash of their id).
 * Should two experiments both change one thing, the one listed first wins.
 */
export function openingVariants(experiments: readonly Experiment[], customerId: string): OpeningVariants {
  const variants = experiments
    .filter((experiment) => experiment.active)
    .map((experiment) => ({ experiment, variant: variantFor(experiment, customerId) }))
  return {
    events: variants.map(({ experiment, variant }) => ({
      event: 'experiment',
      experimentId: experiment.id,
      variant: variant.id,
    })),
    rules: variants.find(({ variant }) => variant.rules)?.variant.rules,
    greeting: variants.find(({ variant }) => variant.greeting)?.variant.greeting,
  }
}
