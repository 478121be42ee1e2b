/** Every failure kefu3d reports to a client, by a code that never changes meaning. */
export const ErrorCode = {
  BadFrame: 'bad_frame',
  BadRequest: 'bad_request',
  FrameTooLarge: 'frame_too_large',
  UnsupportedFrame: 'unsupported_frame',
  RateLimited: 'rate_limited',
  ProtocolMismatch: 'protocol_mismatch',
  Unauthenticated: 'unauthenticated',
  TokenInvalid: 'token_invalid',
  SignatureInvalid: 'signature_invalid',
  OriginForbidden: 'origin_forbidden',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  InvalidTransition: 'invalid_transition',
  Conflict: 'conflict',
  VoiceUnavailable: 'voice_unavailable',
  ReplyWindowClosed: 'reply_window_closed',
  /**
   * The server could not reach its store or its cluster for a moment: nothing was stored, and the
   * same request sent again (the same cid for a message) succeeds once it is back.
   */
  Unavailable: 'unavailable',
  Internal: 'internal',
} as const
/** One of the stable error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** The one error type of kefu3d: a stable code, a human message and an optional cause. */
export class KefuError extends Error {
  readonly code: ErrorCode
  override readonly cause: unknown

  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message)
    this.name = 'KefuError'
    this.code = code
    this.cause = cause
  }

  static badRequest(message: string): KefuError {
    return new KefuError(ErrorCode.BadRequest, message)
  }
  static forbidden(message = 'You may not access this resource'): KefuError {
    return new KefuError(ErrorCode.Forbidden, message)
  }
  static notFound(what: string): KefuError {
    return new KefuError(ErrorCode.NotFound, `${what} was not found`)
  }
  static unauthenticated(message = 'Sign in first'): KefuError {
    return new KefuError(ErrorCode.Unauthenticated, message)
  }
  static invalidTransition(from: string, to: string): KefuError {
    return new KefuError(ErrorCode.InvalidTransition, `A conversation cannot go from ${from} to ${to}`)
  }
}

/** True for errors that carry a kefu3d code. */
export function isKefuError(value: unknown): value is KefuError {
  return value instanceof KefuError
}
