import { crc32 } from 'node:zlib'

/**
 * The media a chat may carry, each checked by walking its container as the claimed type: every
 * chunk, box or frame must be where the format says and the structure must hold to its end. A file
 * that only starts like a PNG (a script with a PNG header stuck on) is not one.
 */
export interface MediaFormat {
  mime: string
  ext: string
  isWellFormed(bytes: Buffer): boolean
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Signature, then chunks (length, type, data, CRC) with IHDR first and IEND last, CRCs checked. */
function isPng(b: Buffer): boolean {
  if (!b.subarray(0, 8).equals(PNG_SIGNATURE)) return false
  let at = 8
  let first = true
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at)
    const type = b.toString('latin1', at + 4, at + 8)
    const end = at + 12 + length
    if (end > b.length) return false
    if (first && (type !== 'IHDR' || length !== 13)) return false
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length)) return false
    if (type === 'IEND') return end === b.length
    first = false
    at = end
  }
  return false
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])

/** SOI, length-prefixed segments with a frame header before the scan, entropy data, then EOI. */
function isJpeg(b: Buffer): boolean {
  if (b[0] !== 0xff || b[1] !== 0xd8) return false
  let at = 2
  let hasFrame = false
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return false
    const marker = b[at + 1] ?? 0
    if (marker === 0xff) {
      at++ // fill byte
      continue
    }
    const length = b.readUInt16BE(at + 2)
    if (length < 2 || at + 2 + length > b.length) return false
    if (SOF_MARKERS.has(marker)) hasFrame = true
    at += 2 + length
    if (marker !== 0xda) continue
    if (!hasFrame) return false
    // Entropy-coded data: FF is followed by 00 (stuffing) or a restart marker until the next marker.
    while (at + 1 < b.length && !(b[at] === 0xff && b[at + 1] !== 0 && ((b[at + 1] ?? 0) & 0xf8) !== 0xd0))
      at++
    if (b[at + 1] === 0xd9) return true
  }
  return false
}

/** RIFF whose size is the file's, WEBP, then chunks that fill it, the first an image chunk. */
function isWebp(b: Buffer): boolean {
  if (b.length < 20 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP')
    return false
  if (b.readUInt32LE(4) + 8 !== b.length) return false
  if (!['VP8 ', 'VP8L', 'VP8X'].includes(b.toString('latin1', 12, 16))) return false
  let at = 12
  while (at + 8 <= b.length) {
    const size = b.readUInt32LE(at + 4)
    at += 8 + size + (size % 2)
  }
  return at === b.length
}

/** ADTS frames (what mini-program recorders write), each header's length leading to the next. */
function isAdts(b: Buffer): boolean {
  let at = 0
  let frames = 0
  while (at + 7 <= b.length) {
    if (b[at] !== 0xff || ((b[at + 1] ?? 0) & 0xf6) !== 0xf0) return false
    const length = (((b[at + 3] ?? 0) & 0x03) << 11) | ((b[at + 4] ?? 0) << 3) | ((b[at + 5] ?? 0) >> 5)
    if (length < 7) return false
    at += length
    frames++
  }
  return frames > 0 && at === b.length
}

/** MPEG-4 boxes that tile the file, `ftyp` first and a `moov` among them. */
function isMp4Audio(b: Buffer): boolean {
  let at = 0
  let hasMovie = false
  while (at + 8 <= b.length) {
    let size = b.readUInt32BE(at)
    const type = b.toString('latin1', at + 4, at + 8)
    if (at === 0 && type !== 'ftyp') return false
    if (size === 1) {
      if (at + 16 > b.length) return false
      size = Number(b.readBigUInt64BE(at + 8))
    } else if (size === 0) {
      size = b.length - at
    }
    if (size < 8 || at + size > b.length) return false
    if (type === 'moov') hasMovie = true
    at += size
  }
  return hasMovie && at === b.length
}

// MPEG-1 Layer III bitrates (kbit/s) by index, and sample rates (Hz) by version: MPEG-1, 2, 2.5.
const MP3_BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
const MP3_BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
const MP3_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
}

/** An optional ID3v2 tag, then Layer III frames to the end (an ID3v1 tag may close it). */
function isMp3(b: Buffer): boolean {
  let at = 0
  if (b.toString('latin1', 0, 3) === 'ID3' && b.length >= 10) {
    at = 10 + (((b[6] ?? 0) << 21) | ((b[7] ?? 0) << 14) | ((b[8] ?? 0) << 7) | (b[9] ?? 0))
  }
  const end =
    b.length >= 128 && b.toString('latin1', b.length - 128, b.length - 125) === 'TAG'
      ? b.length - 128
      : b.length
  let frames = 0
  while (at + 4 <= end) {
    const [sync, flags, rates] = [b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0]
    const version = (flags >> 3) & 0x03
    if (sync !== 0xff || (flags & 0xe0) !== 0xe0 || version === 1 || ((flags >> 1) & 0x03) !== 1) return false
    const kbps = (version === 3 ? MP3_BITRATES_V1 : MP3_BITRATES_V2)[rates >> 4]
    const sampleRate = MP3_RATES[version]?.[(rates >> 2) & 0x03]
    if (!kbps || !sampleRate) return false
    const samplesPerFrame = version === 3 ? 144 : 72
    at += Math.floor((samplesPerFrame * kbps * 1000) / sampleRate) + ((rates >> 1) & 0x01)
    frames++
  }
  return frames > 0 && at === end
}

export const MEDIA_FORMATS: readonly MediaFormat[] = [
  { mime: 'image/jpeg', ext: 'jpg', isWellFormed: isJpeg },
  { mime: 'image/png', ext: 'png', isWellFormed: isPng },
  { mime: 'image/webp', ext: 'webp', isWellFormed: isWebp },
  { mime: 'audio/aac', ext: 'aac', isWellFormed: isAdts },
  { mime: 'audio/mp4', ext: 'm4a', isWellFormed: isMp4Audio },
  { mime: 'audio/mpeg', ext: 'mp3', isWellFormed: isMp3 },
]
