export {
  AudioFrameKind,
  BRIDGE_SAMPLE_RATES,
  decodeAudioFrame,
  encodeAudioFrame,
  MAX_FRAME_SAMPLES,
} from './audioFrames'
export { type BridgeState, type BridgeTiming, VoiceBridgeClient } from './VoiceBridgeClient'
