import { describe, expect, it } from 'vitest'
import { INTERPOLATION_DELAY_MS, PoseBuffer } from './PoseBuffer'
import { AvatarMotion, type Pose } from './pose'

const pose = (seq: number, x: number, heading = 0): Pose => ({
  x,
  y: 0,
  z: 0,
  heading,
  motion: AvatarMotion.Walk,
  seq,
})
const blank = (): Pose => pose(0, 0)

describe('a remote avatar’s pose buffer', () => {
  it('draws the avatar between the two poses around a moment 100 ms ago', () => {
    const buffer = new PoseBuffer()
    buffer.push(pose(1, 0), 1000)
    buffer.push(pose(2, 1), 1100)
    expect(buffer.sample(1150 + INTERPOLATION_DELAY_MS - 100, blank())?.x).toBeCloseTo(0.5)
    expect(buffer.sample(1100 + INTERPOLATION_DELAY_MS, blank())?.x).toBeCloseTo(1)
    expect(buffer.sample(5000, blank())?.x).toBe(1)
    expect(buffer.sample(900, blank())?.x).toBe(0)
  })

  it('turns the short way round', () => {
    const buffer = new PoseBuffer()
    buffer.push(pose(1, 0, 0.1), 0)
    buffer.push(pose(2, 0, Math.PI * 2 - 0.1), 100)
    const heading = buffer.sample(150, blank())?.heading ?? Number.NaN
    expect(Math.cos(heading)).toBeCloseTo(1, 3)
  })

  it('drops a pose that arrives late or twice', () => {
    const buffer = new PoseBuffer()
    expect(buffer.push(pose(5, 5), 0)).toBe(true)
    expect(buffer.push(pose(4, 4), 10)).toBe(false)
    expect(buffer.push(pose(5, 5), 20)).toBe(false)
    expect(buffer.latest?.x).toBe(5)
  })
})
