import type { FloorPoint, Listener } from '@kefu/shared'
import { createVoiceNode, type HearingMode, placeListener, placeVoice } from './voiceGraph'

/**
 * Renders a one-second tone through the same graph, at `source` relative to `listener`, offline:
 * the energy each ear gets. The hall's debug view and its browser test use it to check that a
 * voice on the left is heard on the left and one beyond earshot not at all, in either mode.
 */
export async function auditionTone(
  listener: Listener,
  source: FloorPoint,
  mode: HearingMode = 'hrtf',
): Promise<{ left: number; right: number }> {
  const sampleRate = 44_100
  const context = new OfflineAudioContext({ numberOfChannels: 2, length: sampleRate, sampleRate })
  const tone = new OscillatorNode(context, { frequency: 440 })
  const voice = createVoiceNode(context, tone, context.destination, mode)
  placeListener(context, listener, 0)
  placeVoice(context, voice, source, listener, 0)
  tone.start()
  const rendered = await context.startRendering()
  const energy = (channel: Float32Array) => channel.reduce((sum, sample) => sum + sample * sample, 0)
  return { left: energy(rendered.getChannelData(0)), right: energy(rendered.getChannelData(1)) }
}
