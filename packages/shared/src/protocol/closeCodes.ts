/**
 * WebSocket close codes the server uses, in the application range (4000-4999). Clients read them
 * to decide whether reconnecting can help.
 */
export const CloseCode = {
  /**
   * The session is over (its token expired, was forged, or its account was deactivated): get a new
   * session (sign in again) before reconnecting.
   */
  SessionEnded: 4001,
  /** The client speaks another protocol version: reconnecting cannot help, the app must update. */
  ProtocolMismatch: 4002,
  /** The account's rights changed (a team left or joined): reconnect now to see what is yours now. */
  SessionChanged: 4003,
  /** The client read too slowly and its backlog was dropped: reconnect and catch up from the cursor. */
  SlowConsumer: 4008,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
