import { ErrorCode, KefuError } from '@kefu/shared'
import type { NextFunction, Request, Response } from 'express'
import type { z } from 'zod'
import type { CurrentSession } from '../auth/currentSession'
import type { Session, SessionTokens } from '../auth/sessionTokens'

/** Parses a body, query or path value with its schema; a mismatch is a `bad_request` naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw KefuError.badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`)
}

type Handler = (request: Request, response: Response) => Promise<unknown>

/** An async handler whose failures reach the error handler (express 4 does not await handlers). */
export const route = (handler: Handler) => (request: Request, response: Response, next: NextFunction) => {
  handler(request, response).catch(next)
}

/**
 * The caller's session from `Authorization: Bearer <token>`, with a staff member's rights as their
 * account has them now; `unauthenticated` or `token_invalid` otherwise.
 */
export function bearerAuthenticator(
  tokens: SessionTokens,
  current: CurrentSession,
): (request: Request) => Promise<Session> {
  return async (request) => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined
    if (!token) throw KefuError.unauthenticated()
    const result = await tokens.verify(token)
    if (!result.ok) throw result.error
    const session = await current(result.value)
    if (!session) throw new KefuError(ErrorCode.TokenInvalid, 'This account is no longer active')
    return session
  }
}

/** How every route learns who calls it. */
export type Authenticate = ReturnType<typeof bearerAuthenticator>

/** A supervisor's session, for figures about their teams; anyone else is `forbidden`. */
export async function authenticateSupervisor(authenticate: Authenticate, request: Request): Promise<Session> {
  const session = await authenticate(request)
  if (session.role !== 'supervisor') throw KefuError.forbidden('These figures are for supervisors')
  return session
}

/** The teams a supervisor asks about: the one named, which must be theirs, or all of theirs. */
export function teamsAskedFor(
  session: Session,
  team: Session['teams'][number] | undefined,
): Session['teams'] {
  if (team === undefined) return session.teams
  if (!session.teams.includes(team)) throw KefuError.forbidden('Not your team')
  return [team]
}
