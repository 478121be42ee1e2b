import { ErrorCode, KefuError } from '../errors'
import { err, ok, type Result } from '../result'
import { decodePose, encodePose, POSE_BYTES, type Pose } from './pose'

/**
 * Binary frames that carry poses over the signal socket, for clients without WebRTC (a
 * mini-program): the server relays them into the hall room as that person and back. Their kind
 * bytes follow the voice bridge's audio frames (1 and 2): one kind byte space per socket.
 */
export const PoseFrameKind = {
  /** The client's own pose, to the hall. */
  Up: 3,
  /** Someone else's pose in the hall, with who it is. */
  Down: 4,
} as const

/** Longest identity a down frame names (a user id). */
const MAX_IDENTITY_UNITS = 128

export function encodePoseUp(pose: Pose): Uint8Array {
  const bytes = new Uint8Array(1 + POSE_BYTES)
  bytes[0] = PoseFrameKind.Up
  bytes.set(encodePose(pose), 1)
  return bytes
}

export function decodePoseUp(bytes: Uint8Array): Result<Pose, KefuError> {
  if (bytes[0] !== PoseFrameKind.Up) return err(new KefuError(ErrorCode.BadFrame, 'Not a pose frame'))
  return decodePose(bytes.subarray(1))
}

/**
 * `identity`'s pose as it arrived from the hall: kind, identity length in UTF-16 units, the units
 * (little-endian; no TextEncoder needed on platforms that lack one), then the 14-byte pose.
 */
export function encodePoseDown(identity: string, pose: Uint8Array): Uint8Array {
  const units = Math.min(identity.length, MAX_IDENTITY_UNITS)
  const bytes = new Uint8Array(2 + units * 2 + POSE_BYTES)
  const view = new DataView(bytes.buffer)
  bytes[0] = PoseFrameKind.Down
  bytes[1] = units
  for (let i = 0; i < units; i++) view.setUint16(2 + i * 2, identity.charCodeAt(i), true)
  bytes.set(pose.subarray(0, POSE_BYTES), 2 + units * 2)
  return bytes
}

export function decodePoseDown(bytes: Uint8Array): Result<{ identity: string; pose: Pose }, KefuError> {
  const units = bytes[1] ?? 0
  if (bytes[0] !== PoseFrameKind.Down || units === 0 || bytes.length !== 2 + units * 2 + POSE_BYTES)
    return err(new KefuError(ErrorCode.BadFrame, 'Not a relayed pose frame'))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let identity = ''
  for (let i = 0; i < units; i++) identity += String.fromCharCode(view.getUint16(2 + i * 2, true))
  const pose = decodePose(bytes.subarray(2 + units * 2))
  return pose.ok ? ok({ identity, pose: pose.value }) : pose
}
