import type { ClientFrame, ServerFrame } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { ConnectionDeps } from './Connection'

/** One client frame type, by its `t`. */
export type FrameOf<T extends ClientFrame['t']> = Extract<ClientFrame, { t: T }>

/** What a frame handler may use of the connection it runs on. */
export interface ConnectionContext {
  readonly session: Session
  readonly deps: ConnectionDeps
  /** Unique across nodes: the origin of what this connection publishes. */
  readonly connectionId: string
  send(frame: ServerFrame): void
  sendBinary(bytes: Uint8Array): void
  /** True once the socket closed: work that finishes later must not leave anything behind. */
  isClosed(): boolean
}
