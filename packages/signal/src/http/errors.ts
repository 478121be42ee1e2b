import type { Logger } from '@kefu/shared'
import { ErrorCode, isKefuError } from '@kefu/shared'
import type { ErrorRequestHandler } from 'express'
import { asOutage } from '../outage'

/** The one place error codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_frame: 400,
  bad_request: 400,
  frame_too_large: 413,
  unsupported_frame: 400,
  rate_limited: 429,
  protocol_mismatch: 400,
  unauthenticated: 401,
  token_invalid: 401,
  signature_invalid: 401,
  origin_forbidden: 403,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  voice_unavailable: 503,
  reply_window_closed: 409,
  unavailable: 503,
  internal: 500,
}

/** Answers every failure as `{code, message}`; never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _request, response, _next) => {
    const known = isKefuError(error) ? error : asOutage(error)
    if (known) {
      response.status(HTTP_STATUS[known.code]).json({ code: known.code, message: known.message })
      return
    }
    // express's body parser reports its own failures with a status (malformed JSON, body too large).
    const status = typeof error?.status === 'number' ? error.status : 500
    if (status === 413)
      return void response.status(413).json({ code: ErrorCode.FrameTooLarge, message: 'Body too large' })
    if (status === 400)
      return void response.status(400).json({ code: ErrorCode.BadRequest, message: 'Malformed request body' })
    logger.error({ err: error }, 'request failed')
    response.status(500).json({ code: ErrorCode.Internal, message: 'Something went wrong on our side' })
  }
}
