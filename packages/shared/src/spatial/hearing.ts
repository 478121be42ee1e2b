/** A point on the hall's floor plane and, for a listener, the way they face (as `Pose.heading`). */
export interface FloorPoint {
  x: number
  z: number
}
export interface Listener extends FloorPoint {
  heading: number
}

/**
 * How voices fade with distance in the hall, shared by every client so a voice sounds the same
 * everywhere: WebAudio's PannerNode (HRTF, `inverse` model) takes these three numbers, and
 * platforms without a panner compute the same gain with `distanceGain`.
 *
 * Why these: people at one desk stand 1-2 m apart, so everything within `refDistance` 1.5 m is at
 * full level (a voice across the desk does not get quieter as you lean in). Desks are 5-6 m apart:
 * with `rolloffFactor` 1.6 a voice from the next desk arrives at about a sixth (-15 dB), present
 * but not competing. Beyond `earshotM` 14 m (the far side of a hall about 24 m wide) it is under
 * -21 dB and is not worth its bandwidth: clients unsubscribe from the track.
 */
export const HALL_HEARING = {
  refDistance: 1.5,
  rolloffFactor: 1.6,
  /** WebAudio's inverse model ignores maxDistance; it is set to earshot for the linear fallbacks. */
  maxDistance: 14,
  earshotM: 14,
} as const

/** Linear gain of a voice `distance` metres away, as WebAudio's inverse distance model computes it. */
export function distanceGain(distance: number, hearing = HALL_HEARING): number {
  if (distance > hearing.earshotM) return 0
  const d = Math.max(distance, hearing.refDistance)
  return hearing.refDistance / (hearing.refDistance + hearing.rolloffFactor * (d - hearing.refDistance))
}

/** True when a voice this far away is heard at all (its track stays subscribed). */
export function isInEarshot(distance: number, hearing = HALL_HEARING): boolean {
  return distance <= hearing.earshotM
}

/**
 * Where a source sits left or right of the listener: -1 fully left, 1 fully right, 0 ahead or
 * behind. For platforms with gain and stereo pan but no panner (a StereoPannerNode's `pan`).
 */
export function stereoPan(listener: Listener, source: FloorPoint): number {
  const dx = source.x - listener.x
  const dz = source.z - listener.z
  const distance = Math.hypot(dx, dz)
  if (distance < 1e-6) return 0
  // The listener's right, for a heading as three.js's rotation.y (facing -z at 0).
  const rightX = Math.cos(listener.heading)
  const rightZ = -Math.sin(listener.heading)
  return Math.max(-1, Math.min(1, (dx * rightX + dz * rightZ) / distance))
}

/**
 * How much of a mono voice goes to each ear for a `stereoPan` value: equal power, as a
 * StereoPannerNode pans a mono input, so the voice is as loud in the middle as at either side.
 * For platforms that have gains and a channel merger but no StereoPannerNode (WeChat).
 */
export function stereoGains(pan: number): { left: number; right: number } {
  const towardsRight = ((Math.max(-1, Math.min(1, pan)) + 1) / 2) * (Math.PI / 2)
  return { left: Math.cos(towardsRight), right: Math.sin(towardsRight) }
}

/** Distance on the floor between two points. */
export function floorDistance(a: FloorPoint, b: FloorPoint): number {
  return Math.hypot(a.x - b.x, a.z - b.z)
}
