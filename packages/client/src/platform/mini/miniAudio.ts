import type { PcmPlayer } from '@kefu/shared'
import type { AudioContextLike, AudioNodeLike } from '../webAudio'

/** WeChat's WebAudioContext: the factory methods of a browser's Web Audio context. */
export type MiniAudioContext = AudioContextLike

/**
 * A Web Audio context as a PCM player: the voice bridge schedules each buffer at its time, into
 * `output` (the speaker, or a voice's place in the hall's audio graph).
 */
export function pcmPlayerOn(
  context: MiniAudioContext,
  output: AudioNodeLike = context.destination,
): PcmPlayer {
  return {
    currentTime: () => context.currentTime,
    play(samples, sampleRate, atTime) {
      const buffer = context.createBuffer(1, samples.length, sampleRate)
      const channel = buffer.getChannelData(0)
      for (let i = 0; i < samples.length; i++) channel[i] = (samples[i] ?? 0) / 32768
      const source = context.createBufferSource()
      source.buffer = buffer
      source.connect(output)
      source.start(atTime)
    },
  }
}
