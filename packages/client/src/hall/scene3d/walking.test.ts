// @vitest-environment node
import { AvatarMotion, createHallLayout, type Pose } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { WALK_M_PER_S, walkStep } from './walking'

const layout = createHallLayout([{ id: 'general', name: 'General' }])
const standing = (x: number, z: number): Pose => ({
  x,
  y: 0,
  z,
  heading: 0,
  motion: AvatarMotion.Idle,
  seq: 0,
})
const still = { x: 0, z: 0 }

describe('walking to a point', () => {
  it('stops on it even when frames are slow, instead of pacing around it', () => {
    const self = standing(0, 2)
    const target = { x: 0, z: 1.7 }
    // A quarter-second frame strides 0.6 m: twice as far as the point is.
    let left = walkStep(layout, self, still, target, 0.25)
    expect(self.z).toBeCloseTo(1.7)
    left = walkStep(layout, self, still, left, 0.25)
    expect(left).toBeUndefined()
    expect(self.motion).toBe(AvatarMotion.Idle)
    expect(self.z).toBeCloseTo(1.7)
  })

  it('walks at speed towards a far point, and by keys as far as the frame allows', () => {
    const self = standing(0, 2)
    walkStep(layout, self, still, { x: 0, z: -4 }, 0.1)
    expect(self.z).toBeCloseTo(2 - 0.1 * WALK_M_PER_S)
    walkStep(layout, self, { x: 0, z: -1 }, undefined, 0.25)
    expect(self.z).toBeCloseTo(2 - 0.35 * WALK_M_PER_S)
  })
})
