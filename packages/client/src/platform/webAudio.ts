/**
 * The Web Audio the hall's voices use, typed as a slice so the same graph runs on a browser's
 * AudioContext and on WeChat's WebAudioContext (built without the DOM's types). WeChat offers
 * the factory methods only (no node constructors, no StereoPannerNode) and, on older base
 * libraries, only the setters of positions.
 */
export interface AudioParamLike {
  value: number
  setTargetAtTime(target: number, startTime: number, timeConstant: number): unknown
}

export interface AudioNodeLike {
  connect<Node extends AudioNodeLike>(destination: Node, output?: number, input?: number): Node
  disconnect(): void
}

export interface GainNodeLike extends AudioNodeLike {
  readonly gain: AudioParamLike
}

export interface AnalyserNodeLike extends AudioNodeLike {
  fftSize: number
  getFloatTimeDomainData(array: Float32Array<ArrayBuffer>): void
}

export interface PannerNodeLike extends AudioNodeLike {
  panningModel: 'HRTF' | 'equalpower'
  distanceModel: 'inverse' | 'linear' | 'exponential'
  refDistance: number
  maxDistance: number
  rolloffFactor: number
  /** Absent on older WeChat base libraries: `setPosition` then. */
  readonly positionX?: AudioParamLike
  readonly positionY?: AudioParamLike
  readonly positionZ?: AudioParamLike
  setPosition(x: number, y: number, z: number): void
}

export interface AudioListenerLike {
  readonly positionX?: AudioParamLike
  readonly positionY?: AudioParamLike
  readonly positionZ?: AudioParamLike
  readonly forwardX?: AudioParamLike
  readonly forwardY?: AudioParamLike
  readonly forwardZ?: AudioParamLike
  readonly upX?: AudioParamLike
  readonly upY?: AudioParamLike
  readonly upZ?: AudioParamLike
  setPosition(x: number, y: number, z: number): void
  setOrientation(x: number, y: number, z: number, upX: number, upY: number, upZ: number): void
}

export interface AudioBufferLike {
  getChannelData(channel: number): Float32Array
}

export interface BufferSourceLike extends AudioNodeLike {
  buffer: AudioBufferLike | null
  start(when?: number): void
}

/** What a context offers the hall's voices and the bridge's player. */
export interface AudioContextLike {
  readonly currentTime: number
  readonly destination: AudioNodeLike
  readonly listener: AudioListenerLike
  createGain(): GainNodeLike
  createPanner(): PannerNodeLike
  createChannelMerger(inputs?: number): AudioNodeLike
  createAnalyser(): AnalyserNodeLike
  createBuffer(channels: number, length: number, sampleRate: number): AudioBufferLike
  createBufferSource(): BufferSourceLike
  close(): Promise<void>
}
