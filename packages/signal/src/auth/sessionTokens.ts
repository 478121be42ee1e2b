import {
  asTeamId,
  asUserId,
  type Channel,
  ChannelSchema,
  ErrorCode,
  err,
  KefuError,
  ok,
  type Result,
  RoleSchema,
  type TeamId,
  type UserId,
} from '@kefu/shared'
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import { z } from 'zod'

/** Who a session token speaks for. */
export interface Session {
  userId: UserId
  role: z.infer<typeof RoleSchema>
  displayName: string
  teams: TeamId[]
  isGuest: boolean
  /**
   * Where a customer talks from, as their verified profile (or, for a guest, their session request)
   * said when the session was issued: what their conversations are recorded as.
   */
  channel?: Channel
  /** When the token stops being valid (ms since the epoch); absent for sessions the server makes itself. */
  expiresAt?: number
}

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  role: RoleSchema,
  name: z.string(),
  teams: z.array(z.string()).default([]),
  guest: z.boolean().default(false),
  ch: ChannelSchema.optional(),
  exp: z.number(),
})

const ISSUER = 'kefu3d'

/** Mints and checks the server's own session tokens (HS256, short-lived). */
export class SessionTokens {
  private readonly key: Uint8Array

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret)
  }

  /** Issues a token that expires after `ttlS` seconds. */
  async issue(session: Session, ttlS: number): Promise<string> {
    return new SignJWT({
      role: session.role,
      name: session.displayName,
      teams: session.teams,
      guest: session.isGuest,
      ...(session.channel === undefined ? {} : { ch: session.channel }),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(session.userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${ttlS}s`)
      .sign(this.key)
  }

  /** Verifies a token; a forged, expired or malformed one is a `token_invalid` error. */
  async verify(token: string): Promise<Result<Session, KefuError>> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] })
      const claims = ClaimsSchema.safeParse(payload)
      if (!claims.success)
        return err(new KefuError(ErrorCode.TokenInvalid, 'The session token has unexpected claims'))
      const { sub, role, name, teams, guest, ch, exp } = claims.data
      return ok({
        userId: asUserId(sub),
        role,
        displayName: name,
        teams: teams.map(asTeamId),
        isGuest: guest,
        ...(ch === undefined ? {} : { channel: ch }),
        expiresAt: exp * 1000,
      })
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired
      return err(
        new KefuError(
          ErrorCode.TokenInvalid,
          expired ? 'The session has expired' : 'The session token is invalid',
          error,
        ),
      )
    }
  }
}
