import { describe, expect, it } from 'vitest'
import { MAX_POSE_HZ, PoseSchedule } from './PoseSchedule'
import { AvatarMotion, type Pose } from './pose'

const at = (x: number): Pose => ({ x, y: 0, z: 0, heading: 0, motion: AvatarMotion.Walk, seq: 0 })

/** Poses sent in `seconds` of 60 fps frames while the avatar is at `xAt(t)`. */
function sends(seconds: number, xAt: (t: number) => number): number {
  const schedule = new PoseSchedule()
  let count = 0
  for (let frame = 0; frame < seconds * 60; frame++) {
    const now = (frame * 1000) / 60
    const pose = at(xAt(now / 1000))
    if (schedule.isDue(pose, now)) {
      schedule.markSent(pose, now)
      count++
    }
  }
  return count
}

describe('when poses go out', () => {
  it('never more than 15 a second, however fast the avatar walks', () => {
    expect(sends(10, (t) => t * 2.4)).toBeLessThanOrEqual(MAX_POSE_HZ * 10 + 1)
    expect(sends(10, (t) => t * 2.4)).toBeGreaterThan(MAX_POSE_HZ * 10 * 0.7)
  })

  it('only a keepalive every 2 s while the avatar stands still', () => {
    expect(sends(10, () => 1)).toBe(5)
  })
})
