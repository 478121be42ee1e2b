import type { AudioSource } from '@livekit/rtc-node'
import { AudioFrame } from '@livekit/rtc-node'

export const SAMPLE_RATE = 48_000
const FRAME_SAMPLES = 480

/** Feeds a sine tone into an audio source in 10 ms frames until the returned stop is called. */
export function playTone(source: AudioSource, frequencyHz: number): () => void {
  let running = true
  let offset = 0
  void (async () => {
    while (running) {
      const samples = new Int16Array(FRAME_SAMPLES)
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * frequencyHz * (offset + i)) / SAMPLE_RATE))
      }
      offset += FRAME_SAMPLES
      await source.captureFrame(new AudioFrame(samples, SAMPLE_RATE, 1, FRAME_SAMPLES))
    }
  })()
  return () => {
    running = false
  }
}

/** Signal power at one frequency (Goertzel), normalised per sample. */
export function powerAt(samples: Int16Array, frequencyHz: number, sampleRate = SAMPLE_RATE): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate)
  let previous = 0
  let beforePrevious = 0
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious
    beforePrevious = previous
    previous = current
  }
  return (previous ** 2 + beforePrevious ** 2 - coefficient * previous * beforePrevious) / samples.length
}

/** Reads `count` samples from a stream of audio frames (one read: leaving a for-await closes the stream). */
export async function collectSamples(
  frames: AsyncIterable<{ data: Int16Array }>,
  count: number,
): Promise<Int16Array> {
  const samples = new Int16Array(count)
  let filled = 0
  for await (const frame of frames) {
    samples.set(frame.data.subarray(0, Math.min(frame.data.length, count - filled)), filled)
    filled += frame.data.length
    if (filled >= count) break
  }
  return samples
}
