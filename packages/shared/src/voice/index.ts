export { type BridgeState, type BridgeTiming, VoiceBridgeClient } from './VoiceBridgeClient'
