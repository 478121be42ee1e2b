import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { distanceGain, HALL_HEARING, isInEarshot, stereoGains, stereoPan } from './hearing'

describe('hearing in the hall', () => {
  it('is at full level within the reference distance and fades as WebAudio’s inverse model does', () => {
    expect(distanceGain(0)).toBe(1)
    expect(distanceGain(HALL_HEARING.refDistance)).toBe(1)
    // The next desk, 6 m away: about a sixth.
    expect(distanceGain(6)).toBeCloseTo(1.5 / (1.5 + 1.6 * 4.5), 6)
    expect(distanceGain(6)).toBeGreaterThan(0.15)
    expect(distanceGain(6)).toBeLessThan(0.2)
  })

  it('never grows with distance, and is silent beyond earshot', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (a, b) => {
          const [near, far] = a <= b ? [a, b] : [b, a]
          expect(distanceGain(far)).toBeLessThanOrEqual(distanceGain(near))
        },
      ),
      { numRuns: 300, seed: 7 },
    )
    expect(distanceGain(HALL_HEARING.earshotM + 0.1)).toBe(0)
    expect(isInEarshot(HALL_HEARING.earshotM + 0.1)).toBe(false)
    expect(isInEarshot(3)).toBe(true)
  })

  it('puts a source on the listener’s left to the left, whichever way the listener faces', () => {
    // Facing -z (heading 0), the left is -x.
    expect(stereoPan({ x: 0, z: 0, heading: 0 }, { x: -3, z: 0 })).toBeCloseTo(-1, 6)
    expect(stereoPan({ x: 0, z: 0, heading: 0 }, { x: 3, z: 0 })).toBeCloseTo(1, 6)
    expect(stereoPan({ x: 0, z: 0, heading: 0 }, { x: 0, z: -3 })).toBeCloseTo(0, 6)
    // Turned a quarter to the left (facing -x), the left is +z.
    expect(stereoPan({ x: 0, z: 0, heading: Math.PI / 2 }, { x: 0, z: 3 })).toBeCloseTo(-1, 6)
  })

  it('splits a voice between the ears with constant power, all to one ear at either end', () => {
    expect(stereoGains(-1).left).toBeCloseTo(1, 6)
    expect(stereoGains(-1).right).toBeCloseTo(0, 6)
    expect(stereoGains(1).right).toBeCloseTo(1, 6)
    expect(stereoGains(0).left).toBeCloseTo(Math.SQRT1_2, 6)
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (pan) => {
        const { left, right } = stereoGains(pan)
        expect(left * left + right * right).toBeCloseTo(1, 9)
        if (pan < -1e-6) expect(left).toBeGreaterThan(right)
        if (pan > 1e-6) expect(right).toBeGreaterThan(left)
      }),
      { numRuns: 200, seed: 11 },
    )
  })
})
