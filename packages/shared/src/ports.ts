/** A cancel handle returned by every timer the core asks for. */
export type Cancel = () => void

/** Time, as the core sees it: the platform supplies it so tests can drive it by hand. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, delayMs: number): Cancel
}

/** Structured logging, as the core sees it. */
export interface Logger {
  debug(data: object, message: string): void
  info(data: object, message: string): void
  warn(data: object, message: string): void
  error(data: object, message: string): void
}

/** A socket, as the core sees it: the web, a mini-program and tests each supply one. */
export interface Transport {
  send(data: string): void
  /** Binary frames (bridged audio); optional, for sockets that carry voice. */
  sendBinary?(data: Uint8Array): void
  onBinary?(listener: (data: Uint8Array) => void): Cancel
  close(): void
  onOpen(listener: () => void): Cancel
  onMessage(listener: (data: string) => void): Cancel
  /** `code` is the WebSocket close code when the platform reports one (see `CloseCode`). */
  onClose(listener: (code?: number) => void): Cancel
}

/** Small persistent storage: localStorage on the web, wx/my storage in a mini-program. */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string): Promise<void>
  remove(key: string): Promise<void>
}

/** A microphone delivering mono 16-bit PCM in small frames (a mini-program's RecorderManager). */
export interface PcmRecorder {
  start(sampleRate: number): void
  stop(): void
  onFrame(listener: (samples: Int16Array) => void): Cancel
  /** Fires when recording ends, asked for or not (mini-program recorders stop after 10 minutes). */
  onStop(listener: () => void): Cancel
}

/** A speaker that plays PCM buffers at given times on its own clock (a Web Audio context). */
export interface PcmPlayer {
  /** Seconds on the player's clock. */
  currentTime(): number
  play(samples: Int16Array, sampleRate: number, atTime: number): void
}

/** Unguessable ids from the platform's cryptographic randomness. */
export interface IdSource {
  newId(): string
}
