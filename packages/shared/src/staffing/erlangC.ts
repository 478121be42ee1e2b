/**
 * Erlang C (M/M/N: Poisson arrivals, exponential handling, an unbounded queue, nobody gives up):
 * how many agents an interval needs so that a share of contacts is answered within a target wait.
 * It ignores abandonment, so it errs on the safe side: a queue where some give up needs a little
 * less than this says.
 */

/** What an interval asks of its agents. */
export interface StaffingDemand {
  /** Contacts arriving in the interval. */
  arrivals: number
  intervalS: number
  /** Average handling time of a contact. */
  ahtS: number
  /** E.g. 80 % answered within 20 s. */
  target: { share: number; withinS: number }
  /** Agents busier than this burn out: e.g. 0.85. */
  maxOccupancy: number
  /** The share of paid time nobody takes contacts (breaks, training, sickness): e.g. 0.3. */
  shrinkage: number
}

/** What `agentsNeeded` found, for the interval it was asked about. */
export interface StaffingAnswer {
  /** Traffic intensity: contacts in progress at once on average (Erlangs). */
  erlangs: number
  /** Agents taking contacts at once. */
  onPhones: number
  /** Agents to schedule, once shrinkage is allowed for. */
  scheduled: number
  serviceLevel: number
  occupancy: number
  /** The chance that a contact waits at all. */
  waitProbability: number
  /** Average speed of answer (mean wait, including those who do not wait). */
  asaS: number
}

/**
 * The probability that a contact waits, with `agents` agents on `erlangs` of traffic (1 when the
 * agents cannot keep up). Computed through Erlang B's recursion, which needs no factorials and
 * stays exact for hundreds of agents.
 */
export function waitProbability(erlangs: number, agents: number): number {
  if (agents <= erlangs) return 1
  let blocking = 1
  for (let k = 1; k <= agents; k++) blocking = (erlangs * blocking) / (k + erlangs * blocking)
  return (agents * blocking) / (agents - erlangs * (1 - blocking))
}

/** The share of contacts answered within `withinS`. */
export function serviceLevel(erlangs: number, agents: number, ahtS: number, withinS: number): number {
  if (agents <= erlangs) return 0
  return 1 - waitProbability(erlangs, agents) * Math.exp((-(agents - erlangs) * withinS) / ahtS)
}

/** The fewest agents meeting the target and the occupancy cap, and what they achieve. */
export function agentsNeeded(demand: StaffingDemand): StaffingAnswer {
  const erlangs = (demand.arrivals * demand.ahtS) / demand.intervalS
  if (demand.arrivals === 0)
    return { erlangs, onPhones: 0, scheduled: 0, serviceLevel: 1, occupancy: 0, waitProbability: 0, asaS: 0 }
  const { share, withinS } = demand.target
  let onPhones = Math.floor(erlangs) + 1
  while (
    serviceLevel(erlangs, onPhones, demand.ahtS, withinS) < share ||
    erlangs / onPhones > demand.maxOccupancy
  )
    onPhones++
  const waiting = waitProbability(erlangs, onPhones)
  return {
    erlangs,
    onPhones,
    // 14 / 0.7 is 20.000000000000004 in floating point: that is 20 agents, not 21.
    scheduled: Math.ceil(onPhones / (1 - demand.shrinkage) - 1e-9),
    serviceLevel: serviceLevel(erlangs, onPhones, demand.ahtS, withinS),
    occupancy: erlangs / onPhones,
    waitProbability: waiting,
    asaS: (waiting * demand.ahtS) / (onPhones - erlangs),
  }
}
