import { hasPoseChanged, type Pose } from './pose'

/** At most this many poses a second leave a client. */
export const MAX_POSE_HZ = 15
/** A still avatar sends one this often anyway, so a lost packet does not leave it misplaced. */
export const POSE_KEEPALIVE_MS = 2000

/**
 * When a client sends its avatar's pose: when it moved or turned (see `hasPoseChanged`), at most
 * `MAX_POSE_HZ` times a second, and every `POSE_KEEPALIVE_MS` regardless. Pure, so the hall and
 * its benchmark count the same packets.
 */
export class PoseSchedule {
  private sent: Pose | undefined
  private sentAt = Number.NEGATIVE_INFINITY

  /** True when `pose` should go out at `now` (ms). */
  isDue(pose: Pose, now: number): boolean {
    if (now - this.sentAt < 1000 / MAX_POSE_HZ) return false
    return hasPoseChanged(this.sent, pose) || now - this.sentAt >= POSE_KEEPALIVE_MS
  }

  /** True when nothing went out for a keepalive's time (a timer asks this while frames are not drawn). */
  isKeepaliveDue(now: number): boolean {
    return now - this.sentAt >= POSE_KEEPALIVE_MS
  }

  markSent(pose: Pose, now: number): void {
    this.sent = { ...pose }
    this.sentAt = now
  }
}
