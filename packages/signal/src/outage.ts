import { ErrorCode, KefuError } from '@kefu/shared'

// Node's socket errors when the other end is away.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])
// PostgreSQL's SQLSTATEs for "not now": connection exceptions (class 08), shutting down, starting up.
const POSTGRES_AWAY = /^(08...|57P0[123])$/
// What node-postgres and ioredis say when their connection is gone or will not come back in time.
const CLIENT_MESSAGES = [
  'Connection terminated',
  'Connection is closed',
  'timeout exceeded when trying to connect',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
]

/**
 * The store or Redis could not be reached: a retryable `unavailable`, distinct from a refusal, so
 * a client keeps what it sent and sends it again. Undefined for any other failure.
 */
export function asOutage(error: unknown): KefuError | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as { code?: unknown }).code
  const away =
    (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_AWAY.test(code))) ||
    error.name === 'MaxRetriesPerRequestError' ||
    CLIENT_MESSAGES.some((message) => error.message.includes(message))
  return away
    ? new KefuError(ErrorCode.Unavailable, 'The service is briefly unavailable; send again', error)
    : undefined
}
