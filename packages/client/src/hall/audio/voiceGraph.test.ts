import { describe, expect, it } from 'vitest'
import { hearingModeFor } from './voiceGraph'

describe('the hearing mode', () => {
  it('uses HRTF panners, but gain and stereo pan on iOS and on the smallest devices', () => {
    expect(hearingModeFor('Mozilla/5.0 (X11; Linux x86_64) Chrome/140', 8)).toBe('hrtf')
    expect(hearingModeFor('Mozilla/5.0 (X11; Linux x86_64) Chrome/140', undefined)).toBe('hrtf')
    expect(hearingModeFor('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)', 4)).toBe('stereo')
    expect(hearingModeFor('Mozilla/5.0 (Linux; Android 9) Chrome/120', 1)).toBe('stereo')
  })
})
