import { angleBetween, type Pose } from './pose'

/** How far behind live a remote avatar is drawn, so there are two poses to interpolate between. */
export const INTERPOLATION_DELAY_MS = 100
const KEPT_POSES = 8

/**
 * The recent poses of one remote avatar, by the time they arrived, drawn `INTERPOLATION_DELAY_MS`
 * in the past: smooth motion from 10-15 updates a second over a network that jitters. Poses
 * older (by `seq`) than the newest are dropped: lossy data can arrive late or twice.
 */
export class PoseBuffer {
  private readonly poses: { pose: Pose; at: number }[] = []

  /** Adds a pose received at `at` (ms); false when it is stale (a lower or equal seq). */
  push(pose: Pose, at: number): boolean {
    const newest = this.poses.at(-1)
    if (newest && pose.seq <= newest.pose.seq) return false
    this.poses.push({ pose, at })
    if (this.poses.length > KEPT_POSES) this.poses.shift()
    return true
  }

  /** The latest pose received, undrawn. */
  get latest(): Pose | undefined {
    return this.poses.at(-1)?.pose
  }

  /**
   * Where to draw the avatar at `now`, written into `out` (no allocation per frame): between the
   * two poses around `now - delay`, or the newest when none is that recent.
   */
  sample(now: number, out: Pose): Pose | undefined {
    const first = this.poses[0]
    if (!first) return undefined
    const target = now - INTERPOLATION_DELAY_MS
    let before = first
    for (const entry of this.poses) {
      if (entry.at > target) {
        if (entry === before) return copyInto(out, entry.pose)
        const span = entry.at - before.at
        const t = span > 0 ? (target - before.at) / span : 1
        return lerpInto(out, before.pose, entry.pose, t)
      }
      before = entry
    }
    return copyInto(out, before.pose)
  }
}

function copyInto(out: Pose, pose: Pose): Pose {
  out.x = pose.x
  out.y = pose.y
  out.z = pose.z
  out.heading = pose.heading
  out.motion = pose.motion
  out.seq = pose.seq
  return out
}

function lerpInto(out: Pose, a: Pose, b: Pose, t: number): Pose {
  out.x = a.x + (b.x - a.x) * t
  out.y = a.y + (b.y - a.y) * t
  out.z = a.z + (b.z - a.z) * t
  out.heading = a.heading + angleBetween(a.heading, b.heading) * t
  out.motion = t < 0.5 ? a.motion : b.motion
  out.seq = b.seq
  return out
}
