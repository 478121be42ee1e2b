/**
 * A day's shift plan in three layers, as the service's staffing model has it: a base shift of
 * full-timers covering about 80 % of normal load all day, a peak shift that brings base and peak
 * together up to a surge of twice normal load and works the busy span of the day (from the first
 * to the last interval above normal load), and a part-time pool for what is left, booked interval
 * by interval: the top of normal load outside the busy span, spikes beyond the surge within it.
 */
export interface ShiftPlanOptions {
  /** The share of normal load the base shift carries (0.8). */
  baseShare: number
  /** The surge the peak shift is sized for, as a multiple of normal load (2). */
  surgeFactor: number
  intervalMinutes: number
}

export interface ShiftPlan {
  /** The median need of the open intervals. */
  normal: number
  /** The day's open hours: from the first interval that needs anyone to the last, inclusive. */
  openSpan: { from: number; to: number } | undefined
  base: number
  peak: number
  /** Interval indexes the peak shift works, inclusive; undefined when the base is enough all day. */
  peakSpan: { from: number; to: number } | undefined
  /** Part-timers booked for each interval. */
  partTime: number[]
  /** Who works each interval, all layers together (never below the need). */
  covered: number[]
  /** Paid agent-hours of this plan, and of staffing every open interval at the day's peak. */
  hours: { plan: number; flatAtPeak: number }
}

export const DEFAULT_SHIFT_OPTIONS: ShiftPlanOptions = { baseShare: 0.8, surgeFactor: 2, intervalMinutes: 30 }

/** Plans `needs` (agents to schedule per interval of one day, e.g. from `agentsNeeded`). */
export function planShifts(needs: readonly number[], options = DEFAULT_SHIFT_OPTIONS): ShiftPlan {
  const open = needs.flatMap((need, index) => (need > 0 ? [index] : []))
  const first = open[0]
  const last = open.at(-1)
  const hoursPer = options.intervalMinutes / 60
  if (first === undefined || last === undefined)
    return {
      normal: 0,
      openSpan: undefined,
      base: 0,
      peak: 0,
      peakSpan: undefined,
      partTime: needs.map(() => 0),
      covered: needs.map(() => 0),
      hours: { plan: 0, flatAtPeak: 0 },
    }
  const normal = median(open.map((index) => needs[index] ?? 0))
  const base = Math.round(options.baseShare * normal)
  const surgeCap = options.surgeFactor * normal
  const busy = needs.flatMap((need, index) => (need > normal ? [index] : []))
  const peakSpan = busy.length > 0 ? { from: busy[0] ?? 0, to: busy.at(-1) ?? 0 } : undefined
  const peak = peakSpan ? Math.max(0, ...needs.map((need) => Math.ceil(Math.min(need, surgeCap)) - base)) : 0
  const inPeak = (index: number) => within(peakSpan, index)
  const isOpen = (index: number) => index >= first && index <= last
  const partTime = needs.map((need, index) =>
    Math.max(0, need - (isOpen(index) ? base : 0) - (inPeak(index) ? peak : 0)),
  )
  const covered = needs.map(
    (_need, index) => (isOpen(index) ? base : 0) + (inPeak(index) ? peak : 0) + (partTime[index] ?? 0),
  )
  const openIntervals = last - first + 1
  const peakIntervals = peakSpan ? peakSpan.to - peakSpan.from + 1 : 0
  const partTimeIntervals = partTime.reduce((sum, count) => sum + count, 0)
  return {
    normal,
    openSpan: { from: first, to: last },
    base,
    peak,
    peakSpan,
    partTime,
    covered,
    hours: {
      plan: (base * openIntervals + peak * peakIntervals + partTimeIntervals) * hoursPer,
      flatAtPeak: Math.max(...needs) * openIntervals * hoursPer,
    },
  }
}

/** The plan as CSV, an interval a row: for a spreadsheet or a rota tool. */
export function shiftPlanCsv(
  needs: readonly number[],
  plan: ShiftPlan,
  options = DEFAULT_SHIFT_OPTIONS,
): string {
  const rows = needs.map((need, index) => {
    const minutes = index * options.intervalMinutes
    const start = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
    return [
      start,
      need,
      within(plan.openSpan, index) ? plan.base : 0,
      within(plan.peakSpan, index) ? plan.peak : 0,
      plan.partTime[index] ?? 0,
      plan.covered[index] ?? 0,
    ].join(',')
  })
  return ['interval_start,needed,base,peak,part_time,covered', ...rows].join('\n')
}

function within(span: { from: number; to: number } | undefined, index: number): boolean {
  return span !== undefined && index >= span.from && index <= span.to
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
