import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { agentsNeeded, serviceLevel, waitProbability } from './erlangC'

// The worked example of Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked
// Example" (callcentrehelper.com): 100 calls in 30 minutes, AHT 180 s, 80 % in 20 s, occupancy at
// most 85 %, shrinkage 30 %. It gives 10 Erlangs; with 11 agents a 68.21 % chance of waiting and
// a 39 % service level; 14 agents are the first to reach 80 % (88.8 %), 20 once shrinkage is
// allowed for. The pyworkforce documentation's Erlang C tutorial reaches the same figures for the
// same inputs (raw positions 14, positions 20, service level 0.8883, occupancy 0.7142, waiting
// probability 0.1741).
const WORKED_EXAMPLE = {
  arrivals: 100,
  intervalS: 1800,
  ahtS: 180,
  target: { share: 0.8, withinS: 20 },
  maxOccupancy: 0.85,
  shrinkage: 0.3,
}

describe('Erlang C', () => {
  it('reproduces the published worked example', () => {
    expect(waitProbability(10, 11)).toBeCloseTo(0.6821, 4)
    expect(serviceLevel(10, 11, 180, 20)).toBeCloseTo(0.3896, 3)
    expect(serviceLevel(10, 13, 180, 20)).toBeLessThan(0.8)
    const answer = agentsNeeded(WORKED_EXAMPLE)
    expect(answer.erlangs).toBe(10)
    expect(answer.onPhones).toBe(14)
    expect(answer.scheduled).toBe(20)
    expect(answer.serviceLevel).toBeCloseTo(0.8883, 3)
    expect(answer.occupancy).toBeCloseTo(0.7142, 3)
    expect(answer.waitProbability).toBeCloseTo(0.1741, 3)
  })

  it('lets the occupancy cap add agents where the service level alone would not', () => {
    // Long contacts and a lax target: the service level is met early, occupancy is not.
    const lax = { ...WORKED_EXAMPLE, arrivals: 300, target: { share: 0.5, withinS: 60 }, maxOccupancy: 0.8 }
    const answer = agentsNeeded(lax)
    expect(answer.occupancy).toBeLessThanOrEqual(0.8)
    expect(agentsNeeded({ ...lax, maxOccupancy: 1 }).onPhones).toBeLessThan(answer.onPhones)
  })

  it('needs nobody for no contacts, and cannot be met by agents who cannot keep up', () => {
    expect(agentsNeeded({ ...WORKED_EXAMPLE, arrivals: 0 })).toMatchObject({ onPhones: 0, scheduled: 0 })
    expect(waitProbability(10, 10)).toBe(1)
    expect(serviceLevel(10, 9, 180, 20)).toBe(0)
  })

  it('always answers with the fewest agents meeting the target and the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 20, max: 900 }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.integer({ min: 5, max: 60 }),
        (arrivals, ahtS, share, withinS) => {
          const demand = { ...WORKED_EXAMPLE, arrivals, ahtS, target: { share, withinS } }
          const answer = agentsNeeded(demand)
          expect(answer.serviceLevel).toBeGreaterThanOrEqual(share)
          expect(answer.occupancy).toBeLessThanOrEqual(demand.maxOccupancy)
          const fewer = answer.onPhones - 1
          const fewerWorks =
            fewer > answer.erlangs &&
            serviceLevel(answer.erlangs, fewer, ahtS, withinS) >= share &&
            answer.erlangs / fewer <= demand.maxOccupancy
          expect(fewerWorks).toBe(false)
          // More agents never serve worse.
          expect(serviceLevel(answer.erlangs, answer.onPhones + 1, ahtS, withinS)).toBeGreaterThanOrEqual(
            answer.serviceLevel,
          )
        },
      ),
      { numRuns: 300, seed: 15 },
    )
  })
})
