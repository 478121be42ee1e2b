import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AvatarMotion,
  angleBetween,
  decodePose,
  encodePose,
  hasPoseChanged,
  POSE_BYTES,
  type Pose,
} from './pose'

const poseArb: fc.Arbitrary<Pose> = fc.record({
  x: fc.double({ min: -300, max: 300, noNaN: true }),
  y: fc.double({ min: -5, max: 20, noNaN: true }),
  z: fc.double({ min: -300, max: 300, noNaN: true }),
  heading: fc.double({ min: -20, max: 20, noNaN: true }),
  motion: fc.constantFrom(AvatarMotion.Idle, AvatarMotion.Walk, AvatarMotion.Talk, AvatarMotion.Wave),
  seq: fc.nat({ max: 2 ** 32 - 1 }),
})

describe('the pose codec', () => {
  it('fits a pose in at most 16 bytes and brings it back within a centimetre and a hundredth of a degree', () => {
    fc.assert(
      fc.property(poseArb, (pose) => {
        const bytes = encodePose(pose)
        expect(bytes.byteLength).toBe(POSE_BYTES)
        expect(POSE_BYTES).toBeLessThanOrEqual(16)
        const decoded = decodePose(bytes)
        if (!decoded.ok) throw decoded.error
        expect(Math.abs(decoded.value.x - pose.x)).toBeLessThanOrEqual(0.005 + 1e-9)
        expect(Math.abs(decoded.value.y - pose.y)).toBeLessThanOrEqual(0.005 + 1e-9)
        expect(Math.abs(decoded.value.z - pose.z)).toBeLessThanOrEqual(0.005 + 1e-9)
        expect(Math.abs(angleBetween(pose.heading, decoded.value.heading))).toBeLessThan(1e-4)
        expect(decoded.value.motion).toBe(pose.motion)
        expect(decoded.value.seq).toBe(pose.seq)
      }),
      { numRuns: 500, seed: 14 },
    )
  })

  it('refuses any packet that is not a pose, without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const decoded = decodePose(bytes)
        if (!decoded.ok) expect(decoded.error.code).toBe('bad_frame')
      }),
      { numRuns: 500, seed: 15 },
    )
    const wrongMotion = encodePose({ x: 0, y: 0, z: 0, heading: 0, motion: AvatarMotion.Idle, seq: 1 })
    wrongMotion[9] = 9
    expect(decodePose(wrongMotion).ok).toBe(false)
    expect(decodePose(new Uint8Array(13)).ok).toBe(false)
  })

  it('sends only when the avatar moved, turned or changed what it does', () => {
    const still: Pose = { x: 1, y: 0, z: 1, heading: 0, motion: AvatarMotion.Idle, seq: 1 }
    expect(hasPoseChanged(undefined, still)).toBe(true)
    expect(hasPoseChanged(still, { ...still, x: 1.01, seq: 2 })).toBe(false)
    expect(hasPoseChanged(still, { ...still, x: 1.1 })).toBe(true)
    expect(hasPoseChanged(still, { ...still, heading: 0.2 })).toBe(true)
    expect(hasPoseChanged(still, { ...still, heading: Math.PI * 2 })).toBe(false)
    expect(hasPoseChanged(still, { ...still, motion: AvatarMotion.Walk })).toBe(true)
  })
})
