import {
  distanceGain,
  type FloorPoint,
  floorDistance,
  HALL_HEARING,
  isInEarshot,
  type Listener,
  stereoGains,
  stereoPan,
} from '@kefu/shared'
import type {
  AnalyserNodeLike,
  AudioContextLike,
  AudioNodeLike,
  AudioParamLike,
  GainNodeLike,
  PannerNodeLike,
} from '../../platform/webAudio'

/**
 * How a voice is placed: `hrtf` through a PannerNode at its avatar (3D, the default), or `stereo`
 * with the shared model's distance gain and left/right balance, for devices where an HRTF panner
 * per voice costs too much (iPhones and iPads, the smallest devices) or that have no panner.
 */
export type HearingMode = 'hrtf' | 'stereo'

/** The slice of a Web Audio context the voices use (a browser's, or WeChat's). */
export type VoiceContext = Pick<
  AudioContextLike,
  'currentTime' | 'listener' | 'createGain' | 'createPanner' | 'createChannelMerger' | 'createAnalyser'
>

/** One voice in the hall's audio graph: source -> placement -> level -> out. */
export interface VoiceNode {
  mode: HearingMode
  /** In `hrtf` mode: the PannerNode at the owner's avatar. */
  panner: PannerNodeLike | undefined
  /** In `stereo` mode: the voice's share in each ear, merged into one stereo output. */
  ears: { left: GainNodeLike; right: GainNodeLike; merger: AudioNodeLike } | undefined
  /** Earshot (0 beyond it: a panner's roll-off never reaches silence); in `stereo` mode the distance gain too. */
  level: GainNodeLike
  /** For the speaking ring: how loud the voice is now. */
  analyser: AnalyserNodeLike
  /**
   * Where the voice was last put. The panner glides there (smoothed) on the audio thread's clock,
   * which a loaded machine may run late; this is where it is going.
   */
  placedAt?: FloorPoint
  /** In `stereo` mode: the left/right balance it was last given (-1 to 1). */
  pan?: number
}

// Voices move with avatars at 10-15 updates a second: ramps avoid zipper noise between them.
const SMOOTHING_S = 0.06
/** An avatar's mouth, above the floor. */
const MOUTH_HEIGHT_M = 1.55

/** The hearing mode for this device: stereo on iOS and on devices with 1 GB of memory or less. */
export function hearingModeFor(userAgent: string, deviceMemoryGb: number | undefined): HearingMode {
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'stereo'
  return deviceMemoryGb !== undefined && deviceMemoryGb <= 1 ? 'stereo' : 'hrtf'
}

/**
 * Builds the nodes one remote voice goes through, with the hall's shared hearing numbers
 * (HRTF, inverse distance: see HALL_HEARING for why these values).
 */
export function createVoiceNode(
  context: VoiceContext,
  source: AudioNodeLike,
  destination: AudioNodeLike,
  mode: HearingMode = 'hrtf',
): VoiceNode {
  const level = context.createGain()
  const analyser = context.createAnalyser()
  analyser.fftSize = 256
  source.connect(analyser)
  if (mode === 'stereo') {
    // A channel merger takes each input as mono, so a stereo source is folded to one voice first.
    const merger = context.createChannelMerger(2)
    const left = context.createGain()
    const right = context.createGain()
    source.connect(level)
    level.connect(left).connect(merger, 0, 0)
    level.connect(right).connect(merger, 0, 1)
    merger.connect(destination)
    return { mode, panner: undefined, ears: { left, right, merger }, level, analyser }
  }
  const panner = context.createPanner()
  panner.panningModel = 'HRTF'
  panner.distanceModel = 'inverse'
  panner.refDistance = HALL_HEARING.refDistance
  panner.maxDistance = HALL_HEARING.maxDistance
  panner.rolloffFactor = HALL_HEARING.rolloffFactor
  source.connect(panner).connect(level).connect(destination)
  return { mode, panner, ears: undefined, level, analyser }
}

/** Takes a voice out of the graph. */
export function releaseVoice(voice: VoiceNode): void {
  voice.panner?.disconnect()
  voice.ears?.merger.disconnect()
  voice.level.disconnect()
}

/**
 * Puts a voice at its owner's avatar, and mutes it beyond earshot of the listener. `smoothingS`
 * 0 sets the values outright (offline rendering, where nothing ramps before it starts).
 */
export function placeVoice(
  context: VoiceContext,
  voice: VoiceNode,
  at: FloorPoint,
  listener: Listener,
  smoothingS = SMOOTHING_S,
): void {
  const glide = glider(context, smoothingS)
  const distance = floorDistance(at, listener)
  voice.placedAt = { x: at.x, z: at.z }
  if (voice.ears) {
    voice.pan = stereoPan(listener, at)
    const share = stereoGains(voice.pan)
    glide(voice.ears.left.gain, share.left)
    glide(voice.ears.right.gain, share.right)
    glide(voice.level.gain, distanceGain(distance))
    return
  }
  const panner = voice.panner
  if (!panner) return
  if (panner.positionX && panner.positionY && panner.positionZ) {
    glide(panner.positionX, at.x)
    glide(panner.positionY, MOUTH_HEIGHT_M)
    glide(panner.positionZ, at.z)
  } else panner.setPosition(at.x, MOUTH_HEIGHT_M, at.z)
  glide(voice.level.gain, isInEarshot(distance) ? 1 : 0)
}

/** Puts the listener's ears at the own avatar, facing where it faces (heading as three.js's rotation.y). */
export function placeListener(context: VoiceContext, listener: Listener, smoothingS = SMOOTHING_S): void {
  const ears = context.listener
  const forward = { x: -Math.sin(listener.heading), z: -Math.cos(listener.heading) }
  const { positionX, positionY, positionZ, forwardX, forwardY, forwardZ, upX, upY, upZ } = ears
  if (!positionX || !positionY || !positionZ || !forwardX || !forwardY || !forwardZ || !upX || !upY || !upZ) {
    ears.setPosition(listener.x, MOUTH_HEIGHT_M, listener.z)
    ears.setOrientation(forward.x, 0, forward.z, 0, 1, 0)
    return
  }
  const glide = glider(context, smoothingS)
  glide(positionX, listener.x)
  glide(positionY, MOUTH_HEIGHT_M)
  glide(positionZ, listener.z)
  glide(forwardX, forward.x)
  glide(forwardY, 0)
  glide(forwardZ, forward.z)
  glide(upX, 0)
  glide(upY, 1)
  glide(upZ, 0)
}

function glider(context: VoiceContext, smoothingS: number): (param: AudioParamLike, value: number) => void {
  const when = context.currentTime
  return (param, value) => {
    if (smoothingS > 0) param.setTargetAtTime(value, when, smoothingS)
    else param.value = value
  }
}

/** 0-1: how loud a voice is right now (RMS of the analyser's last window). */
export function levelOf(voice: VoiceNode, buffer: Float32Array<ArrayBuffer>): number {
  voice.analyser.getFloatTimeDomainData(buffer)
  let squares = 0
  for (const sample of buffer) squares += sample * sample
  return Math.sqrt(squares / buffer.length)
}
