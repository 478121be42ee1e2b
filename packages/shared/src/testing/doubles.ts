import type { Cancel, Clock, KeyValueStore, Transport } from '../ports'

/** Test doubles for the core's ports, driven by hand: nothing here runs on its own. */

/** One end of a socket whose other end the test plays by hand. */
export class ScriptedTransport implements Transport {
  readonly sent: Record<string, unknown>[] = []
  readonly sentBinary: Uint8Array[] = []
  private readonly binaryListeners = new Set<(data: Uint8Array) => void>()
  private readonly listeners = {
    open: new Set<() => void>(),
    message: new Set<(data: string) => void>(),
    close: new Set<(code?: number) => void>(),
  }
  isClosed = false

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }
  sendBinary(data: Uint8Array): void {
    this.sentBinary.push(data)
  }
  onBinary(listener: (data: Uint8Array) => void): Cancel {
    this.binaryListeners.add(listener)
    return () => this.binaryListeners.delete(listener)
  }
  deliverBinary(data: Uint8Array): void {
    for (const listener of this.binaryListeners) listener(data)
  }
  close(): void {
    this.isClosed = true
  }
  onOpen(listener: () => void): Cancel {
    this.listeners.open.add(listener)
    return () => this.listeners.open.delete(listener)
  }
  onMessage(listener: (data: string) => void): Cancel {
    this.listeners.message.add(listener)
    return () => this.listeners.message.delete(listener)
  }
  onClose(listener: (code?: number) => void): Cancel {
    this.listeners.close.add(listener)
    return () => this.listeners.close.delete(listener)
  }
  open(): void {
    for (const listener of this.listeners.open) listener()
  }
  deliver(frame: object): void {
    for (const listener of this.listeners.message) listener(JSON.stringify(frame))
  }
  /** The server ends the socket, with a close code if given. */
  drop(code?: number): void {
    for (const listener of [...this.listeners.close]) listener(code)
  }
  sentOfType(t: string): Record<string, unknown>[] {
    return this.sent.filter((frame) => frame.t === t)
  }
}

export class ManualClock implements Clock {
  private timers: { at: number; callback: () => void }[] = []
  private time: number
  /** From `start` (a real date when what runs on it compares with tokens or stored times). */
  constructor(start = 0) {
    this.time = start
  }
  now = () => this.time
  setTimeout(callback: () => void, delayMs: number): Cancel {
    const timer = { at: this.time + delayMs, callback }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }
  advance(ms: number): void {
    for (const timer of this.takeDue(ms)) timer.callback()
  }
  /** `advance`, then waits until the work the due timers started (a job's run) has finished. */
  async advanceAndSettle(ms: number): Promise<void> {
    await Promise.all(this.takeDue(ms).map((timer) => (timer.callback as () => unknown)()))
  }
  private takeDue(ms: number): { at: number; callback: () => void }[] {
    this.time += ms
    const due = this.timers.filter((t) => t.at <= this.time)
    this.timers = this.timers.filter((t) => t.at > this.time)
    return due
  }
}

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>()
  async get(key: string) {
    return this.data.get(key)
  }
  async set(key: string, value: string) {
    this.data.set(key, value)
  }
  async remove(key: string) {
    this.data.delete(key)
  }
}
