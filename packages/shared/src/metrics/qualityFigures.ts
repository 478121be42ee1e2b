import { SATISFIED_SCORE } from '../domain/conversation'
import type { ConversationFacts } from './conversationFacts'

/** A sum and how many it adds up: merged by adding both, so a slice's mean is weighted by volume. */
export interface Tally {
  sum: number
  count: number
}

/**
 * The quality figures of a set of conversations, kept as tallies rather than averages: two slices
 * merge by adding (`mergeFigures`), and a team's or the whole service's figure is weighted by
 * volume, never an average of averages.
 */
export interface QualityFigures {
  /** First response time (ms), per conversation with a customer message and a response. */
  frt: Tally
  /** Queue wait before the first assignment (ms), per conversation assigned. */
  asa: Tally
  /** Handling time (ms), per conversation handled by anyone. */
  aht: Tally
  /** Creation to resolution (ms), per conversation resolved. */
  ttr: Tally
  /** Resolved on first contact (1) or not (0), per conversation resolved. */
  fcr: Tally
  /** Abandoned in queue (1) or not (0), per conversation queued. */
  abandonment: Tally
  /** Assigned within the service target (1) or not (0), per conversation queued. */
  serviceLevel: Tally
  /** Transferred at least once (1) or not (0), per conversation assigned. */
  transfer: Tally
  /** Rated 4 or 5 (1) or lower (0), per conversation rated. */
  csat: Tally
  /** Resolved with no agent ever assigned (1) or not (0), per conversation resolved. */
  containment: Tally
}

export const FIGURE_NAMES = [
  'frt',
  'asa',
  'aht',
  'ttr',
  'fcr',
  'abandonment',
  'serviceLevel',
  'transfer',
  'csat',
  'containment',
] as const satisfies readonly (keyof QualityFigures)[]
export type FigureName = (typeof FIGURE_NAMES)[number]

/**
 * The twelve quality metrics a supervisor watches: the ten the event log gives, agent occupancy
 * (sampled from who is online and busy) and message delivery (rate, with its latency beside it).
 */
export const DASHBOARD_FIGURES = [...FIGURE_NAMES, 'occupancy', 'delivery'] as const
export type DashboardFigure = (typeof DASHBOARD_FIGURES)[number]
/** Figures whose value is a share (0-1); the others are durations in ms. */
export const SHARE_FIGURES: ReadonlySet<DashboardFigure> = new Set([
  'fcr',
  'abandonment',
  'serviceLevel',
  'transfer',
  'csat',
  'containment',
  'occupancy',
  'delivery',
])

/** Figures of no conversations. */
export function emptyFigures(): QualityFigures {
  // One literal, so every set of figures shares one shape and the hot paths' reads stay monomorphic.
  return {
    frt: { sum: 0, count: 0 },
    asa: { sum: 0, count: 0 },
    aht: { sum: 0, count: 0 },
    ttr: { sum: 0, count: 0 },
    fcr: { sum: 0, count: 0 },
    abandonment: { sum: 0, count: 0 },
    serviceLevel: { sum: 0, count: 0 },
    transfer: { sum: 0, count: 0 },
    csat: { sum: 0, count: 0 },
    containment: { sum: 0, count: 0 },
  }
}

/** Whom a slice of figures is about: everyone, or one agent (credited with their own work only). */
export type FiguresFor = { agentId?: string }

const addTally = (tally: Tally, value: number) => {
  tally.sum += value
  tally.count++
}

/** One conversation's part in the figures, with the service-level target (e.g. 20 s). */
export function figuresOf(
  facts: ConversationFacts,
  serviceTargetMs: number,
  whom: FiguresFor = {},
): QualityFigures {
  const figures = emptyFigures()
  const agentId = whom.agentId
  const { firstCustomerMessageAt, firstResponse, firstQueuedAt, firstAssignedAt, resolvedAt } = facts
  if (
    firstCustomerMessageAt !== undefined &&
    firstResponse &&
    (agentId === undefined || firstResponse.agentId === agentId)
  )
    addTally(figures.frt, Math.max(0, firstResponse.at - firstCustomerMessageAt))
  let handled = 0
  let spans = 0
  for (const span of facts.handling)
    if (agentId === undefined || span.agentId === agentId) {
      handled += span.to - span.from
      spans++
    }
  if (spans > 0) addTally(figures.aht, handled)
  // The rating is the last handler's: they are whom the customer was talking to at the end.
  const lastHandler = facts.handling.at(-1)?.agentId
  if (facts.rating !== undefined && (agentId === undefined || lastHandler === agentId))
    addTally(figures.csat, facts.rating >= SATISFIED_SCORE ? 1 : 0)
  // The service's own figures: an agent's slice has their responses, handling and ratings only.
  if (agentId !== undefined) return figures
  if (firstQueuedAt !== undefined) {
    const waited = firstAssignedAt === undefined ? undefined : firstAssignedAt - firstQueuedAt
    if (waited !== undefined) addTally(figures.asa, waited)
    addTally(figures.abandonment, facts.abandonedInQueue ? 1 : 0)
    addTally(figures.serviceLevel, waited !== undefined && waited <= serviceTargetMs ? 1 : 0)
  }
  if (firstAssignedAt !== undefined) addTally(figures.transfer, facts.transfers > 0 ? 1 : 0)
  if (resolvedAt !== undefined) {
    addTally(figures.ttr, resolvedAt - facts.createdAt)
    addTally(figures.fcr, facts.firstContactResolved ? 1 : 0)
    addTally(figures.containment, firstAssignedAt === undefined ? 1 : 0)
  }
  return figures
}

/** Adds `figures` into `into` in place, or takes them out again with `sign` -1. */
export function addInto(into: QualityFigures, figures: QualityFigures, sign: 1 | -1 = 1): void {
  // Named, not looped over FIGURE_NAMES: a keyed read per figure is the ledger's hottest line.
  addTallyInto(into.frt, figures.frt, sign)
  addTallyInto(into.asa, figures.asa, sign)
  addTallyInto(into.aht, figures.aht, sign)
  addTallyInto(into.ttr, figures.ttr, sign)
  addTallyInto(into.fcr, figures.fcr, sign)
  addTallyInto(into.abandonment, figures.abandonment, sign)
  addTallyInto(into.serviceLevel, figures.serviceLevel, sign)
  addTallyInto(into.transfer, figures.transfer, sign)
  addTallyInto(into.csat, figures.csat, sign)
  addTallyInto(into.containment, figures.containment, sign)
}

function addTallyInto(into: Tally, tally: Tally, sign: 1 | -1): void {
  into.sum += sign * tally.sum
  into.count += sign * tally.count
}

/** Adds `figures` to the running total kept under `key`, in place: a recompute's tally per slice. */
export function addToTotal<Key>(totals: Map<Key, QualityFigures>, key: Key, figures: QualityFigures): void {
  const total = totals.get(key)
  if (total) addInto(total, figures)
  else totals.set(key, mergeFigures(emptyFigures(), figures))
}

/** Adds two sets of figures (slices, or the old figures and one more conversation). */
export function mergeFigures(a: QualityFigures, b: QualityFigures): QualityFigures {
  const merged = emptyFigures()
  addInto(merged, a)
  addInto(merged, b)
  return merged
}

/** A tally's mean, or undefined for none (no figure is not a zero). */
export function meanOf(tally: Tally): number | undefined {
  return tally.count === 0 ? undefined : tally.sum / tally.count
}
