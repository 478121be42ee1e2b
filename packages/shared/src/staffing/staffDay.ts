import { agentsNeeded, type StaffingAnswer } from './erlangC'
import { DEFAULT_SHIFT_OPTIONS, planShifts, type ShiftPlan } from './shiftPlan'

/** Half hours of a day: the staffing model's intervals. */
export const INTERVAL_MINUTES = DEFAULT_SHIFT_OPTIONS.intervalMinutes
export const INTERVALS_PER_DAY = (24 * 60) / INTERVAL_MINUTES

/** How a day is to be served, whatever its arrivals came from (the history, or a forecast file). */
export interface DayTargets {
  ahtS: number
  share: number
  withinS: number
  maxOccupancy: number
  shrinkage: number
}

export interface StaffedDay {
  arrivals: number[]
  intervals: StaffingAnswer[]
  plan: ShiftPlan
}

/** A day's arrivals per half hour staffed: agents per interval by Erlang C, then the shift plan. */
export function staffDay(arrivals: readonly number[], targets: DayTargets): StaffedDay {
  const intervals = arrivals.map((count) =>
    agentsNeeded({
      arrivals: count,
      intervalS: INTERVAL_MINUTES * 60,
      ahtS: targets.ahtS,
      target: { share: targets.share, withinS: targets.withinS },
      maxOccupancy: targets.maxOccupancy,
      shrinkage: targets.shrinkage,
    }),
  )
  return {
    arrivals: [...arrivals],
    intervals,
    plan: planShifts(intervals.map((interval) => interval.scheduled)),
  }
}

/** Why a forecast file was refused: the line and what is wrong with it. */
export class ForecastFileError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`)
  }
}

/**
 * Arrivals per half hour from a CSV: a row per interval, `HH:MM,arrivals` (a header row is fine),
 * or just the 48 counts one per row. Intervals not named have no arrivals. Every row is checked
 * before anything is used; the first bad one is named.
 */
export function parseForecastCsv(text: string): number[] {
  const arrivals = new Array<number>(INTERVALS_PER_DAY).fill(0)
  const rows = text.split(/\r?\n/).map((row, index) => ({ row: row.trim(), line: index + 1 }))
  let position = 0
  for (const { row, line } of rows) {
    if (row === '') continue
    const cells = row.split(/[,;\t]/).map((cell) => cell.trim())
    if (line === 1 && cells.some((cell) => /[a-z]/i.test(cell))) continue
    const [first = '', second] = cells
    const time = /^(\d{1,2}):(\d{2})$/.exec(first)
    let slot: number
    let countText: string | undefined
    if (time) {
      const minutes = Number(time[1]) * 60 + Number(time[2])
      if (minutes >= 24 * 60 || minutes % INTERVAL_MINUTES !== 0)
        throw new ForecastFileError(line, `${first} does not start a half hour of the day`)
      slot = minutes / INTERVAL_MINUTES
      countText = second
    } else {
      slot = position
      countText = first
    }
    if (slot >= INTERVALS_PER_DAY)
      throw new ForecastFileError(line, `a day has ${INTERVALS_PER_DAY} half hours`)
    const count = Number(countText)
    if (countText === undefined || countText === '' || !Number.isFinite(count) || count < 0)
      throw new ForecastFileError(line, `arrivals must be a number of 0 or more, not "${countText ?? ''}"`)
    arrivals[slot] = count
    position = slot + 1
  }
  return arrivals
}
