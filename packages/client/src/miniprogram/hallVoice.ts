import type { ChatSession, FloorPoint, Listener } from '@kefu/shared'
import {
  createVoiceNode,
  type HearingMode,
  placeListener,
  placeVoice,
  type VoiceNode,
} from '../hall/audio/voiceGraph'
import type { MiniPlatform } from '../platform/mini/MiniPlatform'
import { type MiniAudioContext, pcmPlayerOn } from '../platform/mini/miniAudio'
import { BridgedCall } from './bridgedCall'

/**
 * The conversation's call as heard in the mini-program hall. The mini-program has no WebRTC, so
 * the call comes through the server's bridge as one stream: the conversation room's audio, which
 * only its customer, its agent and hidden supervisors can join (supervisors never speak). That
 * stream is the agent's voice, so it is placed at the agent's avatar through the same audio graph
 * and hearing numbers as the web's: an HRTF panner where WeChat has one, else gain and balance.
 */
export class HallVoice {
  readonly call: BridgedCall
  private context: MiniAudioContext | undefined
  private voice: VoiceNode | undefined

  constructor(session: ChatSession, device: NonNullable<MiniPlatform['call']>) {
    this.call = new BridgedCall(session, device.recorder, () => {
      const context = device.createAudioContext()
      const mode: HearingMode =
        device.prefersStereo || typeof context.createPanner !== 'function' ? 'stereo' : 'hrtf'
      const inlet = context.createGain()
      this.voice = createVoiceNode(context, inlet, context.destination, mode)
      this.context = context
      return pcmPlayerOn(context, inlet)
    })
  }

  /**
   * Every frame: the ears at the own avatar, the call at the agent's; an agent who is not in the
   * hall (at the console) is heard as if beside the listener.
   */
  place(agentAt: FloorPoint | undefined, listener: Listener): void {
    const { context, voice } = this
    if (!context || !voice || this.call.state !== 'live') return
    placeListener(context, listener)
    placeVoice(context, voice, agentAt ?? listener, listener)
  }

  dispose(): void {
    this.call.dispose()
    // A context per visit to the hall: leaving gives its audio device back.
    void this.context?.close().catch(() => undefined)
    this.context = undefined
  }
}
