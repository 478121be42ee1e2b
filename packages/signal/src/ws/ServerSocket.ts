/**
 * What a connection needs of its socket. The `ws` library's WebSocket has this shape; a test passes
 * one of its own, so the connection's rules run without a network.
 */
export interface ServerSocket {
  readonly readyState: number
  /** The `readyState` of a socket that can send. */
  readonly OPEN: number
  /** Bytes queued to send and not yet written: how far behind the reader is. */
  readonly bufferedAmount: number
  send(data: string): void
  send(data: Uint8Array, options: { binary: boolean }): void
  close(code: number, reason: string): void
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void
  on(event: 'close', listener: () => void): void
  on(event: 'error', listener: (error: Error) => void): void
}
