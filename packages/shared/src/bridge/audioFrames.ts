import { ErrorCode, KefuError } from '../errors'
import { err, ok, type Result } from '../result'

/** What a binary frame on the signal socket carries. */
export const AudioFrameKind = {
  /** Microphone PCM from a client without WebRTC (a mini-program), into its conversation's room. */
  Uplink: 1,
  /** The room's audio, back to that client. */
  Downlink: 2,
} as const
export type AudioFrameKind = (typeof AudioFrameKind)[keyof typeof AudioFrameKind]

/** Sample rates the bridge accepts: what mini-program recorders produce, and WebRTC's own. */
export const BRIDGE_SAMPLE_RATES = [8000, 16000, 48000] as const

/** Longest PCM frame accepted, in samples (100 ms at 48 kHz). */
export const MAX_FRAME_SAMPLES = 4800

/**
 * Encodes mono 16-bit PCM as one binary frame: a kind byte, then little-endian samples.
 * Little-endian on every platform, so a big-endian device would still interoperate.
 */
export function encodeAudioFrame(kind: AudioFrameKind, samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(1 + samples.length * 2)
  bytes[0] = kind
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < samples.length; i++) view.setInt16(1 + i * 2, samples[i] ?? 0, true)
  return bytes
}

/** Decodes a binary frame; a wrong kind byte, odd length or oversized frame is a `bad_frame`. */
export function decodeAudioFrame(
  bytes: Uint8Array,
): Result<{ kind: AudioFrameKind; samples: Int16Array }, KefuError> {
  const kind = bytes[0]
  if (kind !== AudioFrameKind.Uplink && kind !== AudioFrameKind.Downlink) {
    return err(new KefuError(ErrorCode.BadFrame, 'Unknown binary frame kind'))
  }
  if ((bytes.length - 1) % 2 !== 0 || bytes.length < 3)
    return err(new KefuError(ErrorCode.BadFrame, 'PCM frames hold whole 16-bit samples'))
  const count = (bytes.length - 1) / 2
  if (count > MAX_FRAME_SAMPLES)
    return err(
      new KefuError(ErrorCode.FrameTooLarge, `Audio frames hold at most ${MAX_FRAME_SAMPLES} samples`),
    )
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const samples = new Int16Array(count)
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(1 + i * 2, true)
  return ok({ kind, samples })
}
