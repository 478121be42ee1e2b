import {
  type Comparison,
  compareMeans,
  compareShares,
  type Experiment,
  SATISFIED_SCORE,
  type TeamId,
} from '@kefu/shared'
import type { Repository } from '../store/Repository'
import { factsInRange } from './qualityReport'

/** One experiment's arms compared: first response (mean), CSAT and FCR (shares), with 95 % intervals. */
export interface ExperimentResult {
  id: string
  name: string
  active: boolean
  variants: { id: string; conversations: number }[]
  frt: Comparison
  csat: Comparison
  fcr: Comparison
  truncated: boolean
}

/**
 * Each experiment's variants compared over the conversations of a range, recomputed from the log:
 * a comparison needs every conversation's own value (for the spread), not just the tallies.
 */
export async function experimentReport(
  repo: Repository,
  experiments: readonly Experiment[],
  query: { teamIds: readonly TeamId[]; from: number; to: number },
): Promise<ExperimentResult[]> {
  if (experiments.length === 0) return []
  const { facts, truncated } = await factsInRange(repo, query)
  return experiments.map((experiment) => {
    const arms = experiment.variants.map((variant) => {
      const mine = facts.filter((one) => one.variants[experiment.id] === variant.id)
      const responses = mine.flatMap((one) =>
        one.firstResponse && one.firstCustomerMessageAt !== undefined
          ? [one.firstResponse.at - one.firstCustomerMessageAt]
          : [],
      )
      const rated = mine.filter((one) => one.rating !== undefined)
      const resolved = mine.filter((one) => one.resolvedAt !== undefined)
      return {
        id: variant.id,
        conversations: mine.length,
        responses,
        csat: {
          successes: rated.filter((one) => (one.rating ?? 0) >= SATISFIED_SCORE).length,
          n: rated.length,
        },
        fcr: { successes: resolved.filter((one) => one.firstContactResolved).length, n: resolved.length },
      }
    })
    const [a, b] = arms as [(typeof arms)[number], (typeof arms)[number]]
    return {
      id: experiment.id,
      name: experiment.name,
      active: experiment.active,
      variants: arms.map(({ id, conversations }) => ({ id, conversations })),
      frt: compareMeans(a.responses, b.responses),
      csat: compareShares(a.csat, b.csat),
      fcr: compareShares(a.fcr, b.fcr),
      truncated,
    }
  })
}
