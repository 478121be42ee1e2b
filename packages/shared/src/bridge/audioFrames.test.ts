import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame } from './audioFrames'

describe('binary audio frames', () => {
  it('round-trips any PCM frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 4800 }),
        (values) => {
          const samples = Int16Array.from(values)
          const decoded = decodeAudioFrame(encodeAudioFrame(AudioFrameKind.Uplink, samples))
          expect(decoded.ok && [...decoded.value.samples]).toEqual(values)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses unknown kinds, half samples and oversized frames', () => {
    expect(decodeAudioFrame(Uint8Array.of(9, 0, 0))).toMatchObject({
      ok: false,
      error: { code: 'bad_frame' },
    })
    expect(decodeAudioFrame(Uint8Array.of(1, 0, 0, 0))).toMatchObject({
      ok: false,
      error: { code: 'bad_frame' },
    })
    const huge = encodeAudioFrame(AudioFrameKind.Uplink, new Int16Array(4801))
    expect(decodeAudioFrame(huge)).toMatchObject({ ok: false, error: { code: 'frame_too_large' } })
  })
})
