import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { agentsNeeded } from './erlangC'
import { planShifts, shiftPlanCsv } from './shiftPlan'
import { parseForecastCsv, staffDay } from './staffDay'

// A day of half hours: closed, a morning, a lunch surge to 12, an afternoon, closed.
const DAY = [0, 0, 4, 5, 5, 6, 10, 12, 6, 5, 5, 4, 0]

describe('the three-layer shift plan', () => {
  it('plans a day by hand-computed figures', () => {
    const plan = planShifts(DAY)
    // Open intervals 2..11; their median need is 5: the base carries 80 % of it.
    expect(plan).toMatchObject({ normal: 5, openSpan: { from: 2, to: 11 }, base: 4 })
    // Over the busy span (above normal: 5..8) the peak shift brings base and peak up to a surge of
    // twice normal: 10 - 4.
    expect(plan).toMatchObject({ peak: 6, peakSpan: { from: 5, to: 8 } })
    // Part-timers top up normal load outside it (3, 4, 9, 10), and the lunch spike beyond the surge.
    expect(plan.partTime).toEqual([0, 0, 0, 1, 1, 0, 0, 2, 0, 1, 1, 0, 0])
    expect(plan.covered).toEqual([0, 0, 4, 5, 5, 10, 10, 12, 10, 5, 5, 4, 0])
    // (4 x 10 + 6 x 4 + 6) half hours, against 12 agents for 10 half hours.
    expect(plan.hours).toEqual({ plan: 35, flatAtPeak: 60 })
  })

  it('exports an interval a row', () => {
    const csv = shiftPlanCsv(DAY, planShifts(DAY)).split('\n')
    expect(csv[0]).toBe('interval_start,needed,base,peak,part_time,covered')
    expect(csv[1]).toBe('00:00,0,0,0,0,0')
    expect(csv[8]).toBe('03:30,12,4,6,2,12')
    expect(csv).toHaveLength(DAY.length + 1)
  })

  it('needs no peak shift on a flat day: part-timers top up the base to normal', () => {
    const plan = planShifts([0, 5, 5, 5, 0])
    expect(plan).toMatchObject({ base: 4, peak: 0, peakSpan: undefined, partTime: [0, 1, 1, 1, 0] })
  })

  it('plans nobody for a closed day', () => {
    expect(planShifts([0, 0, 0])).toMatchObject({ base: 0, peak: 0, hours: { plan: 0, flatAtPeak: 0 } })
  })

  it('always covers every interval, and never pays more than staffing at peak all day', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 48 }), (needs) => {
        const plan = planShifts(needs)
        needs.forEach((need, index) => {
          expect(plan.covered[index]).toBeGreaterThanOrEqual(need)
        })
        expect(plan.hours.plan).toBeLessThanOrEqual(plan.hours.flatAtPeak)
      }),
      { numRuns: 300, seed: 16 },
    )
  })
})

describe('a forecast file', () => {
  it('reads HH:MM rows or bare counts, names the first bad line, and staffs the day like the server', () => {
    const byTime = parseForecastCsv('interval_start,arrivals\n09:00,12\n09:30,20.5\n')
    expect(byTime[18]).toBe(12)
    expect(byTime[19]).toBe(20.5)
    expect(byTime.reduce((sum, count) => sum + count, 0)).toBe(32.5)
    expect(parseForecastCsv('1\n2\n3')[2]).toBe(3)
    expect(() => parseForecastCsv('09:00,12\n09:15,3')).toThrow('line 2: 09:15 does not start a half hour')
    expect(() => parseForecastCsv('09:00,12\n10:00,-1')).toThrow('line 2: arrivals must be a number')
    expect(() => parseForecastCsv('23:30,1\n5')).toThrow('line 2: a day has 48 half hours')
    const day = staffDay(byTime, { ahtS: 180, share: 0.8, withinS: 20, maxOccupancy: 0.85, shrinkage: 0.3 })
    expect(day.intervals[18]?.scheduled).toBe(
      agentsNeeded({
        arrivals: 12,
        intervalS: 1800,
        ahtS: 180,
        target: { share: 0.8, withinS: 20 },
        maxOccupancy: 0.85,
        shrinkage: 0.3,
      }).scheduled,
    )
    expect(day.plan.covered[19]).toBeGreaterThanOrEqual(day.intervals[19]?.scheduled ?? 0)
  })
})
