import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planShifts, shiftPlanCsv } from './shiftPlan'

// A day of half hours: closed, a morning, a lunch surge to 12, an afternoon, closed.
const DAY = [0, 0, 4, 5, 5, 6, 10, 12, 6, 5, 5, 4, 0]

describe('the three-layer shift plan', () => {
  it('plans a day by hand-computed figures', () => {
    const plan = planShifts(DAY)
    // Open intervals 2..11; their median need is 5: the base carries 80 % of it.
    expect(plan).toMatchObject({ normal: 5, openSpan: { from: 2, to: 11 }, base: 4 })
    // Where the base is short (3..10), the peak shift adds up to a surge of twice normal: 10 - 4.
    expect(plan).toMatchObject({ peak: 6, peakSpan: { from: 3, to: 10 } })
    // Only the lunch spike beyond the surge goes to the part-time pool.
    expect(plan.partTime).toEqual([0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0])
    expect(plan.covered).toEqual([0, 0, 4, 10, 10, 10, 10, 12, 10, 10, 10, 4, 0])
    // (4 x 10 + 6 x 8 + 2) half hours, against 12 agents for 10 half hours.
    expect(plan.hours).toEqual({ plan: 45, flatAtPeak: 60 })
  })

  it('exports an interval a row', () => {
    const csv = shiftPlanCsv(DAY, planShifts(DAY)).split('\n')
    expect(csv[0]).toBe('interval_start,needed,base,peak,part_time,covered')
    expect(csv[1]).toBe('00:00,0,0,0,0,0')
    expect(csv[8]).toBe('03:30,12,4,6,2,12')
    expect(csv).toHaveLength(DAY.length + 1)
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
