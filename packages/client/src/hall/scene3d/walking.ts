import { AvatarMotion, type FloorPoint, type HallLayout, moveAvatar, type Pose } from '@kefu/shared'

export const WALK_M_PER_S = 2.4
const ARRIVED_M = 0.12

/**
 * One frame of walking for the own avatar, on the web and in a mini-program alike: along
 * `direction` (floor x/z, any length; zero for none) or else towards `target`, never through a desk
 * or a wall, facing where it walks. Mutates `self`; returns the target still to reach (undefined
 * once arrived or blocked: pushing against a desk is no way to get there).
 */
export function walkStep(
  layout: HallLayout,
  self: Pose,
  direction: FloorPoint,
  target: FloorPoint | undefined,
  seconds: number,
): FloorPoint | undefined {
  let { x: dx, z: dz } = direction
  let still = target
  if (dx === 0 && dz === 0 && target) {
    dx = target.x - self.x
    dz = target.z - self.z
    if (Math.hypot(dx, dz) < ARRIVED_M) {
      still = undefined
      dx = 0
      dz = 0
    }
  }
  const length = Math.hypot(dx, dz)
  if (length === 0) {
    self.motion = AvatarMotion.Idle
    return still
  }
  // Capped so a stalled frame does not teleport, but high enough that a slow GPU still walks at speed;
  // and never past the target: a slow frame's long step would overshoot it, the next come back past
  // it, and the avatar would pace around its destination instead of stopping there.
  const stride = Math.min(seconds, 0.25) * WALK_M_PER_S
  const step = direction.x === 0 && direction.z === 0 ? Math.min(stride, length) : stride
  const moved = moveAvatar(layout, self, {
    x: self.x + (dx / length) * step,
    z: self.z + (dz / length) * step,
  })
  if (moved.x === self.x && moved.z === self.z) still = undefined
  self.x = moved.x
  self.z = moved.z
  // Heading as three.js's rotation.y: 0 faces -z.
  self.heading = Math.atan2(-dx, -dz)
  self.motion = AvatarMotion.Walk
  return still
}
