import { createHash, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  asUserId,
  type Clock,
  type Conversation,
  ConversationIdSchema,
  ConversationStateSchema,
  ErrorCode,
  type IdSource,
  KefuError,
  type Logger,
  SignedProfileSchema,
  TeamIdSchema,
} from '@kefu/shared'
import express, { type NextFunction, type Request, type Response } from 'express'
import { z } from 'zod'
import { verifyPassword } from '../auth/passwords'
import { signProfile, verifyProfile } from '../auth/profileSignature'
import type { Session, SessionTokens } from '../auth/sessionTokens'
import { assertCanView, assertStaff } from '../chat/access'
import type { Config } from '../config'
import { mintVoiceToken } from '../livekit/voiceTokens'
import type { Metrics } from '../metrics/prometheus'
import type { Repository } from '../store/Repository'
import type { ReplyWindowView } from '../wechat/WechatChannel'
import { errorHandler } from './errors'
import { limitPerIp } from './rateLimit'
import { uploadRoutes } from './uploads'

const CUSTOMER_TTL_S = 12 * 60 * 60
const GUEST_TTL_S = 30 * 24 * 60 * 60
const STAFF_TTL_S = 12 * 60 * 60

/** What the HTTP routes need. */
export interface HttpDeps {
  config: Config
  repo: Repository
  tokens: SessionTokens
  metrics: Metrics
  clock: Clock
  ids: IdSource
  logger: Logger
  /** Upstream callbacks (LiveKit, WeChat) that read their own raw bodies to verify signatures. */
  rawBodyRoutes?: express.Router[]
  /** How many replies a channel still allows in this conversation (WeChat), if it limits them. */
  replyWindow?: (conversation: Conversation) => Promise<ReplyWindowView | undefined>
}

const CustomerSessionBody = z.union([
  z.object({ profile: z.string().max(4096), signature: z.string().max(128) }),
  z.object({ guestName: z.string().max(100).optional() }),
])
const LoginBody = z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(200) })
const ListQuery = z.object({
  state: z.string().optional(),
  team: TeamIdSchema.optional(),
  before: z.coerce.number().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
const HistoryQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw KefuError.badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`)
}

type Handler = (request: Request, response: Response) => Promise<unknown>
const route = (handler: Handler) => (request: Request, response: Response, next: NextFunction) => {
  handler(request, response).catch(next)
}

/** The REST API, health and metrics endpoints, and the web client's files. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const { config, repo, tokens, clock, ids } = deps
  const app = express()
  app.disable('x-powered-by')
  // Upstream callbacks verify signatures over the raw body, so they are mounted before JSON parsing.
  for (const router of deps.rawBodyRoutes ?? []) app.use(router)
  app.use(express.json({ limit: '64kb' }))

  const authenticate = async (request: Request): Promise<Session> => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined
    if (!token) throw KefuError.unauthenticated()
    const result = await tokens.verify(token)
    if (!result.ok) throw result.error
    return result.value
  }

  /** The conversation named in the path, once the caller is known and allowed to see it. */
  const viewableConversation = async (request: Request) => {
    const session = await authenticate(request)
    const conversation = await repo.getConversation(parse(ConversationIdSchema, request.params.id))
    if (!conversation) throw KefuError.notFound('Conversation')
    assertCanView(session, conversation)
    return { session, conversation }
  }

  const authLimit = limitPerIp(config.authRateLimitPerMin, clock.now)

  app.use(
    uploadRoutes({
      dataDir: config.dataDir,
      maxBytes: config.uploadMaxBytes,
      publicUrl: config.publicUrl,
      authenticate: (request) => authenticate(request),
      limit: authLimit,
    }),
  )

  app.post(
    '/api/customer/session',
    authLimit,
    route(async (request, response) => {
      const body = parse(CustomerSessionBody, request.body)
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
          },
          clock.now(),
        )
        const session: Session = {
          userId,
          role: 'customer',
          displayName: profile.name,
          teams: [],
          isGuest: false,
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
        { id: userId, displayName, vipLevel: 0, lastPurchaseAt: null, platform: 'web', isGuest: true },
        clock.now(),
      )
      const session: Session = { userId, role: 'customer', displayName, teams: [], isGuest: true }
      response.json({ token: await tokens.issue(session, GUEST_TTL_S), userId, displayName, isGuest: true })
    }),
  )

  app.post(
    '/api/agent/login',
    authLimit,
    route(async (request, response) => {
      const { login, password } = parse(LoginBody, request.body)
      const staff = await repo.findStaffByLogin(login)
      if (!staff || !(await verifyPassword(password, staff.passwordHash))) {
        throw KefuError.unauthenticated('Wrong login or password')
      }
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

  app.get(
    '/api/me',
    route(async (request, response) => response.json(await authenticate(request))),
  )

  app.get(
    '/api/teams',
    route(async (request, response) => {
      assertStaff(await authenticate(request))
      response.json({ teams: await repo.listTeams() })
    }),
  )

  app.get(
    '/api/conversations',
    route(async (request, response) => {
      const session = await authenticate(request)
      const query = parse(ListQuery, request.query)
      const states = query.state?.split(',').map((state) => parse(ConversationStateSchema, state))
      const base = {
        limit: query.limit,
        ...(states ? { states } : {}),
        ...(query.before ? { updatedBefore: query.before } : {}),
      }
      if (session.role === 'customer') {
        response.json({
          conversations: await repo.listConversations({ ...base, customerId: session.userId }),
        })
        return
      }
      if (query.team && session.role === 'agent' && !session.teams.includes(query.team))
        throw KefuError.forbidden('Not your team')
      const teamIds = query.team ? [query.team] : session.role === 'agent' ? session.teams : undefined
      response.json({
        conversations: await repo.listConversations({ ...base, ...(teamIds ? { teamIds } : {}) }),
      })
    }),
  )

  app.get(
    '/api/conversations/:id',
    route(async (request, response) => {
      const { conversation } = await viewableConversation(request)
      const readMarks = Object.fromEntries(await repo.readMarks(conversation.id))
      response.json({ conversation, readMarks, replyWindow: await deps.replyWindow?.(conversation) })
    }),
  )

  app.get(
    '/api/conversations/:id/messages',
    route(async (request, response) => {
      const { conversation } = await viewableConversation(request)
      const { before, limit } = parse(HistoryQuery, request.query)
      const messages = await repo.listMessagesBefore(
        conversation.id,
        before ?? conversation.lastSeq + 1,
        limit,
      )
      response.json({ messages, hasMore: (messages[0]?.seq ?? 1) > 1 })
    }),
  )

  app.post(
    '/api/conversations/:id/voice-token',
    route(async (request, response) => {
      const livekit = config.livekit
      if (!livekit) throw new KefuError(ErrorCode.VoiceUnavailable, 'Voice is not available on this server')
      const { session, conversation } = await viewableConversation(request)
      const token = await mintVoiceToken(livekit, session, conversation)
      response.json({ url: livekit.url, token, room: conversation.voiceRoom })
    }),
  )

  if (config.isDev) {
    // Stands in for the integrator's backend in development only: it signs whatever profile it is given.
    app.post(
      '/api/dev/sign-profile',
      route(async (request, response) => {
        const profile = parse(SignedProfileSchema.omit({ iat: true }), request.body)
        const profileJson = JSON.stringify({ ...profile, iat: Math.floor(clock.now() / 1000) })
        response.json({ profile: profileJson, signature: signProfile(profileJson, config.appSecret) })
      }),
    )
  }

  app.get('/healthz', (_request, response) => void response.json({ ok: true }))
  app.get(
    '/readyz',
    route(async (_request, response) => response.json({ ok: true, epoch: await repo.epoch() })),
  )
  app.get(
    '/metrics',
    route(async (request, response) => {
      // Message rates, queue lengths and staffing are business figures: a public server keeps them
      // for whoever holds the scrape token.
      if (config.metricsToken && !hasBearer(request.get('authorization'), config.metricsToken))
        throw KefuError.unauthenticated('Metrics need the scrape token')
      response.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
    }),
  )

  app.use('/api', (_request, _response, next) => next(KefuError.notFound('Endpoint')))
  serveClient(app, config.clientDist)
  app.use(errorHandler(deps.logger))
  return app
}

function serveClient(app: express.Express, clientDist: string | undefined): void {
  if (!clientDist || !existsSync(join(clientDist, 'index.html'))) return
  app.use(express.static(clientDist, { index: 'index.html', maxAge: '1h' }))
  // The web client routes in the browser: unknown page paths get the app shell.
  app.get(/^\/(?!api|ws|metrics|healthz|readyz).*/, (_request, response) => {
    response.sendFile(join(clientDist, 'index.html'))
  })
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
function hasBearer(header: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`))
}
