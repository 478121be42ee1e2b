import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clampInside, createHallLayout, isFree, moveAvatar } from './hallLayout'

const teams = [
  { id: 'premium', name: 'Premium' },
  { id: 'retention', name: 'Retention' },
  { id: 'general', name: 'General' },
]
const layout = createHallLayout(teams)

describe('the hall layout', () => {
  it('gives every team a desk, in order, with free spots for its agents and a customer', () => {
    expect(layout.desks.map((desk) => desk.teamId)).toEqual(['premium', 'retention', 'general'])
    const xs = layout.desks.map((desk) => desk.at.x)
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
    for (const desk of layout.desks) {
      expect(isFree(layout, desk.customerSpot)).toBe(true)
      for (const spot of desk.agentSpots) expect(isFree(layout, spot)).toBe(true)
    }
    expect(isFree(layout, layout.entrance)).toBe(true)
    expect(isFree(layout, layout.reception.botSpot)).toBe(true)
  })

  it('makes room for any number of configured teams without overlapping desks', () => {
    const many = createHallLayout(Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, name: `Team ${i}` })))
    for (let i = 1; i < many.desks.length; i++)
      expect(many.desks[i]!.box.minX).toBeGreaterThan(many.desks[i - 1]!.box.maxX)
  })

  it('never lets an avatar walk through a desk or a wall, wherever it tries to go', () => {
    const point = fc.record({
      x: fc.double({ min: -15, max: 15, noNaN: true }),
      z: fc.double({ min: -13, max: 13, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 40 }), (targets) => {
        let at = layout.entrance as { x: number; z: number }
        for (const target of targets) {
          // Small steps, as a frame loop takes them.
          const step = {
            x: at.x + Math.sign(target.x - at.x) * 0.2,
            z: at.z + Math.sign(target.z - at.z) * 0.2,
          }
          at = moveAvatar(layout, at, step)
          expect(isFree(layout, at)).toBe(true)
        }
      }),
      { numRuns: 200, seed: 21 },
    )
  })

  it('slides along a desk instead of stopping dead', () => {
    const desk = layout.desks[1]!
    const inFront = { x: desk.at.x, z: desk.box.maxZ + 0.4 }
    const after = moveAvatar(layout, inFront, { x: desk.at.x + 0.3, z: desk.box.maxZ + 0.2 })
    expect(after.x).toBeCloseTo(desk.at.x + 0.3)
    expect(after.z).toBeCloseTo(inFront.z)
  })

  it('keeps a camera inside the walls', () => {
    const clamped = clampInside(layout, { x: 100, z: -100 }, 0.5)
    expect(clamped).toEqual({ x: layout.bounds.maxX - 0.5, z: layout.bounds.minZ + 0.5 })
  })
})
