import {
  asUserId,
  ChannelSchema,
  type Clock,
  type IdSource,
  KefuError,
  peopleText,
  SignedProfileSchema,
} from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import { LoginThrottle } from '../auth/LoginThrottle'
import { verifyLogin } from '../auth/passwords'
import { signProfile, verifyProfile } from '../auth/profileSignature'
import type { Session, SessionTokens } from '../auth/sessionTokens'
import type { Config } from '../config'
import type { LoginAttempts } from '../ports/LoginAttempts'
import type { RateLimits } from '../ports/RateLimits'
import type { Repository } from '../store/Repository'
import { RateLimiter } from './rateLimit'
import { type Authenticate, parseRequest, route } from './requests'

const CUSTOMER_TTL_S = 12 * 60 * 60
const GUEST_TTL_S = 30 * 24 * 60 * 60
const STAFF_TTL_S = 12 * 60 * 60

const CustomerSessionBody = z.union([
  // Any signature string is judged by verifyProfile (a wrong length is signature_invalid): a
  // too-long one must not fall through to the guest variant and become a guest session.
  z.object({ profile: z.string().max(4096), signature: z.string().max(1024) }),
  // A guest says where they are (a mini-program without a signed profile is still a mini-program);
  // it is theirs for the session's life, and says nothing about how replies reach them.
  z.strictObject({ guestName: peopleText(100).optional(), channel: ChannelSchema.default('web') }),
])
const LoginBody = z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(200) })

/** Who may talk to the server: customers (signed profile or guest), staff (login), and who they are. */
export function sessionRoutes(deps: {
  config: Config
  repo: Repository
  tokens: SessionTokens
  clock: Clock
  ids: IdSource
  authenticate: Authenticate
  rateLimits: RateLimits
  loginAttempts: LoginAttempts
}): Router {
  const { config, repo, tokens, clock, ids, authenticate, rateLimits } = deps
  const router = express.Router()
  // Logins and customer sessions each have their own bucket per IP: a mall's Wi-Fi full of
  // customers opening chats does not lock its staff out.
  const sessionLimit = new RateLimiter(rateLimits, 'customer-session', config.authRateLimitPerMin).perIp()
  const loginLimit = new RateLimiter(rateLimits, 'login', config.authRateLimitPerMin).perIp()
  const throttle = new LoginThrottle(deps.loginAttempts, clock.now)

  router.post(
    '/api/customer/session',
    sessionLimit,
    route(async (request, response) => {
      const body = parseRequest(CustomerSessionBody, request.body)
      if ('profile' in body) {
        const verified = verifyProfile(
          body.profile,
          body.signature,
          config.appSecret,
          config.profileMaxAgeS,
          clock.now(),
        )
        if (!verified.ok) throw verified.error
        const profile = verified.value
        const userId = asUserId(`u_${profile.userId}`)
        await repo.upsertCustomer(
          {
            id: userId,
            displayName: profile.name,
            vipLevel: profile.vipLevel,
            lastPurchaseAt: profile.lastPurchaseAt,
            platform: profile.platform,
            isGuest: false,
            language: profile.language ?? null,
          },
          clock.now(),
        )
        const session: Session = {
          userId,
          role: 'customer',
          displayName: profile.name,
          teams: [],
          isGuest: false,
          channel: profile.platform,
        }
        response.json({
          token: await tokens.issue(session, CUSTOMER_TTL_S),
          userId,
          displayName: profile.name,
          isGuest: false,
        })
        return
      }
      const userId = asUserId(`g_${ids.newId()}`)
      const displayName = body.guestName?.trim() || `Guest ${userId.slice(2, 6)}`
      await repo.upsertCustomer(
        {
          id: userId,
          displayName,
          vipLevel: 0,
          lastPurchaseAt: null,
          platform: body.channel,
          isGuest: true,
          language: null,
        },
        clock.now(),
      )
      const session: Session = {
        userId,
        role: 'customer',
        displayName,
        teams: [],
        isGuest: true,
        channel: body.channel,
      }
      response.json({ token: await tokens.issue(session, GUEST_TTL_S), userId, displayName, isGuest: true })
    }),
  )

  router.post(
    '/api/agent/login',
    loginLimit,
    route(async (request, response) => {
      const { login, password } = parseRequest(LoginBody, request.body)
      const address = request.ip ?? 'unknown'
      await throttle.check(login, address)
      const staff = await repo.findStaffByLogin(login)
      // A deactivated account costs the same hash as any other, and is refused the same way.
      if (!(await verifyLogin(password, staff?.passwordHash)) || !staff?.active) {
        await throttle.failed(login)
        throw KefuError.unauthenticated('Wrong login or password')
      }
      await throttle.succeeded(login, address)
      const session: Session = {
        userId: staff.id,
        role: staff.role,
        displayName: staff.displayName,
        teams: staff.teams,
        isGuest: false,
      }
      response.json({
        token: await tokens.issue(session, STAFF_TTL_S),
        userId: staff.id,
        displayName: staff.displayName,
        role: staff.role,
        teams: staff.teams,
      })
    }),
  )

  // Public: the chat frame asks before it tells its parent page anything.
  router.get('/api/embedding', (_request, response) => void response.json({ origins: config.embedOrigins }))

  router.get(
    '/api/me',
    route(async (request, response) => response.json(await authenticate(request))),
  )

  if (config.isDev) {
    // Stands in for the integrator's backend in development only: it signs whatever profile it is given.
    router.post(
      '/api/dev/sign-profile',
      route(async (request, response) => {
        const profile = parseRequest(SignedProfileSchema.omit({ iat: true }), request.body)
        const profileJson = JSON.stringify({ ...profile, iat: Math.floor(clock.now() / 1000) })
        response.json({ profile: profileJson, signature: signProfile(profileJson, config.appSecret) })
      }),
    )
  }
  return router
}
