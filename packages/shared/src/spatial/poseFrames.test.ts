import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AudioFrameKind } from '../bridge/index'
import { AvatarMotion, encodePose, type Pose } from './pose'
import { decodePoseDown, decodePoseUp, encodePoseDown, encodePoseUp, PoseFrameKind } from './poseFrames'

const pose: Pose = { x: 1.25, y: 0, z: -3.5, heading: 1, motion: AvatarMotion.Walk, seq: 7 }

describe('pose frames on the signal socket', () => {
  it('use kind bytes of their own, apart from the audio frames', () => {
    const audio = new Set<number>(Object.values(AudioFrameKind))
    for (const kind of Object.values(PoseFrameKind)) expect(audio.has(kind)).toBe(false)
  })

  it('carry a pose up and a named pose down', () => {
    const up = decodePoseUp(encodePoseUp(pose))
    expect(up.ok && up.value.seq).toBe(7)
    const down = decodePoseDown(encodePoseDown('u_王小明', encodePose(pose)))
    expect(down.ok && down.value).toMatchObject({ identity: 'u_王小明', pose: { x: 1.25, z: -3.5, seq: 7 } })
  })

  it('refuse anything else without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const up = decodePoseUp(bytes)
        const down = decodePoseDown(bytes)
        expect(typeof up.ok).toBe('boolean')
        expect(typeof down.ok).toBe('boolean')
      }),
    )
    expect(decodePoseUp(new Uint8Array([PoseFrameKind.Up, 1, 2])).ok).toBe(false)
    expect(decodePoseDown(encodePoseUp(pose)).ok).toBe(false)
  })
})
