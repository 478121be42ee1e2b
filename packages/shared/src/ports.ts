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

/** A text socket, as the core sees it: the web, a mini-program and tests each supply one. */
export interface Transport {
  send(data: string): void
  close(): void
  onOpen(listener: () => void): Cancel
  onMessage(listener: (data: string) => void): Cancel
  onClose(listener: () => void): Cancel
}

/** Small persistent storage: localStorage on the web, wx/my storage in a mini-program. */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string): Promise<void>
  remove(key: string): Promise<void>
}

/** Unguessable ids from the platform's cryptographic randomness. */
export interface IdSource {
  newId(): string
}
