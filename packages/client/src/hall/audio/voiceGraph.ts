import {
  distanceGain,
  type FloorPoint,
  floorDistance,
  HALL_HEARING,
  isInEarshot,
  type Listener,
  stereoPan,
} from '@kefu/shared'

/**
 * How a voice is placed: `hrtf` through a PannerNode at its avatar (3D, the default), or `stereo`
 * with the shared model's distance gain and left/right pan (StereoPannerNode), for devices where
 * an HRTF panner per voice costs too much (iPhones and iPads, the smallest devices).
 */
export type HearingMode = 'hrtf' | 'stereo'

/** One voice in the hall's audio graph: source -> placement -> level -> out. */
export interface VoiceNode {
  mode: HearingMode
  /** In `hrtf` mode: the PannerNode at the owner's avatar. */
  panner: PannerNode | undefined
  /** In `stereo` mode: left/right from the shared model. */
  stereo: StereoPannerNode | undefined
  /** Earshot (0 beyond it: a panner's roll-off never reaches silence); in `stereo` mode the distance gain too. */
  level: GainNode
  /** For the speaking ring: how loud the voice is now. */
  analyser: AnalyserNode
  /**
   * Where the voice was last put. The panner glides there (smoothed) on the audio thread's clock,
   * which a loaded machine may run late; this is where it is going.
   */
  placedAt?: FloorPoint
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
  context: BaseAudioContext,
  source: AudioNode,
  destination: AudioNode,
  mode: HearingMode = 'hrtf',
): VoiceNode {
  const level = new GainNode(context, { gain: 1 })
  const analyser = new AnalyserNode(context, { fftSize: 256 })
  source.connect(analyser)
  if (mode === 'stereo') {
    const stereo = new StereoPannerNode(context, { pan: 0 })
    source.connect(stereo).connect(level).connect(destination)
    return { mode, panner: undefined, stereo, level, analyser }
  }
  const panner = new PannerNode(context, {
    panningModel: 'HRTF',
    distanceModel: 'inverse',
    refDistance: HALL_HEARING.refDistance,
    maxDistance: HALL_HEARING.maxDistance,
    rolloffFactor: HALL_HEARING.rolloffFactor,
  })
  source.connect(panner).connect(level).connect(destination)
  return { mode, panner, stereo: undefined, level, analyser }
}

/** Puts a voice at its owner's avatar, and mutes it beyond earshot of the listener. */
export function placeVoice(
  context: BaseAudioContext,
  voice: VoiceNode,
  at: FloorPoint,
  listener: Listener,
): void {
  const when = context.currentTime
  const distance = floorDistance(at, listener)
  voice.placedAt = { x: at.x, z: at.z }
  if (voice.stereo) {
    voice.stereo.pan.setTargetAtTime(stereoPan(listener, at), when, SMOOTHING_S)
    voice.level.gain.setTargetAtTime(distanceGain(distance), when, SMOOTHING_S)
    return
  }
  voice.panner?.positionX.setTargetAtTime(at.x, when, SMOOTHING_S)
  voice.panner?.positionY.setTargetAtTime(MOUTH_HEIGHT_M, when, SMOOTHING_S)
  voice.panner?.positionZ.setTargetAtTime(at.z, when, SMOOTHING_S)
  voice.level.gain.setTargetAtTime(isInEarshot(distance) ? 1 : 0, when, SMOOTHING_S)
}

/** Puts the listener's ears at the own avatar, facing where it faces (heading as three.js's rotation.y). */
export function placeListener(context: BaseAudioContext, listener: Listener): void {
  const ears = context.listener
  const when = context.currentTime
  ears.positionX.setTargetAtTime(listener.x, when, SMOOTHING_S)
  ears.positionY.setTargetAtTime(MOUTH_HEIGHT_M, when, SMOOTHING_S)
  ears.positionZ.setTargetAtTime(listener.z, when, SMOOTHING_S)
  ears.forwardX.setTargetAtTime(-Math.sin(listener.heading), when, SMOOTHING_S)
  ears.forwardY.setTargetAtTime(0, when, SMOOTHING_S)
  ears.forwardZ.setTargetAtTime(-Math.cos(listener.heading), when, SMOOTHING_S)
  ears.upX.setTargetAtTime(0, when, SMOOTHING_S)
  ears.upY.setTargetAtTime(1, when, SMOOTHING_S)
  ears.upZ.setTargetAtTime(0, when, SMOOTHING_S)
}

/** 0-1: how loud a voice is right now (RMS of the analyser's last window). */
export function levelOf(voice: VoiceNode, buffer: Float32Array<ArrayBuffer>): number {
  voice.analyser.getFloatTimeDomainData(buffer)
  let squares = 0
  for (const sample of buffer) squares += sample * sample
  return Math.sqrt(squares / buffer.length)
}

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
  // Offline, nothing ramps before rendering starts: set the values outright.
  context.listener.positionX.value = listener.x
  context.listener.positionY.value = MOUTH_HEIGHT_M
  context.listener.positionZ.value = listener.z
  context.listener.forwardX.value = -Math.sin(listener.heading)
  context.listener.forwardZ.value = -Math.cos(listener.heading)
  const distance = floorDistance(source, listener)
  if (voice.panner) {
    voice.panner.positionX.value = source.x
    voice.panner.positionY.value = MOUTH_HEIGHT_M
    voice.panner.positionZ.value = source.z
    voice.level.gain.value = isInEarshot(distance) ? 1 : 0
  } else if (voice.stereo) {
    voice.stereo.pan.value = stereoPan(listener, source)
    voice.level.gain.value = distanceGain(distance)
  }
  tone.start()
  const rendered = await context.startRendering()
  const energy = (channel: Float32Array) => channel.reduce((sum, sample) => sum + sample * sample, 0)
  return { left: energy(rendered.getChannelData(0)), right: energy(rendered.getChannelData(1)) }
}
