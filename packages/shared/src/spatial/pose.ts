import { ErrorCode, KefuError } from '../errors'
import { err, ok, type Result } from '../result'

/** What an avatar is doing, for its animation. */
export const AvatarMotion = { Idle: 0, Walk: 1, Talk: 2, Wave: 3 } as const
export type AvatarMotion = (typeof AvatarMotion)[keyof typeof AvatarMotion]

/**
 * Where an avatar is in the hall and which way it faces. Metres on the floor plane (x to the
 * right, z towards the entrance, y up); `heading` in radians as three.js's rotation.y (0 faces -z);
 * `seq` orders poses from one sender, since lossy data may arrive late or twice.
 */
export interface Pose {
  x: number
  y: number
  z: number
  heading: number
  motion: AvatarMotion
  seq: number
}

/** Bytes of one encoded pose; the sender is whoever sent the packet, so it is not in it. */
export const POSE_BYTES = 14
const POSE_FORMAT = 1
const CM_PER_M = 100
const HEADING_STEPS = 65536
const TWO_PI = Math.PI * 2
/** The farthest a position can be from the hall's centre: int16 centimetres. */
export const MAX_POSE_COORDINATE_M = 327

/**
 * Encodes a pose in 14 bytes: format, x/y/z as int16 centimetres, heading as uint16 turns,
 * motion, seq as uint32. Positions beyond ±327 m are clamped; precision is 1 cm and 0.0055°.
 */
export function encodePose(pose: Pose): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(POSE_BYTES)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, POSE_FORMAT)
  view.setInt16(1, centimetres(pose.x), true)
  view.setInt16(3, centimetres(pose.y), true)
  view.setInt16(5, centimetres(pose.z), true)
  const turns = (((pose.heading % TWO_PI) + TWO_PI) % TWO_PI) / TWO_PI
  view.setUint16(7, Math.round(turns * HEADING_STEPS) % HEADING_STEPS, true)
  view.setUint8(9, pose.motion)
  view.setUint32(10, pose.seq >>> 0, true)
  return bytes
}

/** Decodes a pose packet; anything else is a `bad_frame` error, never an exception. */
export function decodePose(bytes: Uint8Array): Result<Pose, KefuError> {
  if (bytes.byteLength !== POSE_BYTES) return err(new KefuError(ErrorCode.BadFrame, 'A pose is 14 bytes'))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint8(0) !== POSE_FORMAT) return err(new KefuError(ErrorCode.BadFrame, 'Unknown pose format'))
  const motion = view.getUint8(9)
  if (!isMotion(motion)) return err(new KefuError(ErrorCode.BadFrame, 'Unknown avatar motion'))
  return ok({
    x: view.getInt16(1, true) / CM_PER_M,
    y: view.getInt16(3, true) / CM_PER_M,
    z: view.getInt16(5, true) / CM_PER_M,
    heading: (view.getUint16(7, true) / HEADING_STEPS) * TWO_PI,
    motion,
    seq: view.getUint32(10, true),
  })
}

/** True when `next` moved or turned enough since `sent` to be worth sending (or changed motion). */
export function hasPoseChanged(
  sent: Pose | undefined,
  next: Pose,
  minMoveM = 0.03,
  minTurnRad = 0.035,
): boolean {
  if (!sent) return true
  if (sent.motion !== next.motion) return true
  if (Math.hypot(next.x - sent.x, next.y - sent.y, next.z - sent.z) >= minMoveM) return true
  return Math.abs(angleBetween(sent.heading, next.heading)) >= minTurnRad
}

/** The signed smallest turn from `from` to `to`, in (-π, π]. */
export function angleBetween(from: number, to: number): number {
  const turn = (((to - from) % TWO_PI) + TWO_PI) % TWO_PI
  return turn > Math.PI ? turn - TWO_PI : turn
}

function centimetres(metres: number): number {
  const limit = MAX_POSE_COORDINATE_M * CM_PER_M
  return Math.max(-limit, Math.min(limit, Math.round(metres * CM_PER_M)))
}

function isMotion(value: number): value is AvatarMotion {
  return value === 0 || value === 1 || value === 2 || value === 3
}
