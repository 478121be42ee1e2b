import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  type Clock,
  type Conversation,
  type IdSource,
  KefuError,
  type Logger,
  type UserId,
} from '@kefu/shared'
import express from 'express'
import type { CurrentSession } from '../auth/currentSession'
import type { SessionTokens } from '../auth/sessionTokens'
import type { Config } from '../config'
import type { EmergencyMode } from '../emergency/EmergencyMode'
import type { HallVisits } from '../hall/HallVisits'
import type { KnowledgeBase } from '../knowledge/KnowledgeBase'
import type { LivekitAccess } from '../livekitAccess'
import type { Metrics } from '../metrics/prometheus'
import type { HallSeats } from '../ports/HallSeats'
import type { LoginAttempts } from '../ports/LoginAttempts'
import type { RateLimits } from '../ports/RateLimits'
import type { RoutingState } from '../ports/RoutingState'
import type { ProactiveService } from '../proactive/ProactiveService'
import type { Repository } from '../store/Repository'
import type { ReplyWindowView } from '../wechat/WechatChannel'
import { cannedReplyRoutes } from './cannedReplyRoutes'
import { conversationRoutes } from './conversationRoutes'
import { errorHandler } from './errors'
import { hallRoutes } from './hallRoutes'
import { integratorRoutes } from './integratorRoutes'
import { knowledgeRoutes } from './knowledgeRoutes'
import { operationsRoutes } from './operationsRoutes'
import { playbookRoutes } from './playbookRoutes'
import { type QualityRouteDeps, qualityRoutes } from './qualityRoutes'
import { RateLimiter } from './rateLimit'
import { bearerAuthenticator } from './requests'
import { securityHeaders } from './securityHeaders'
import { sessionRoutes } from './sessionRoutes'
import { staffingRoutes } from './staffingRoutes'
import { uploadRoutes } from './uploads'

/** What the HTTP routes need. */
export interface HttpDeps {
  config: Config
  repo: Repository
  /** Per-IP and per-person limits, shared by every node. */
  rateLimits: RateLimits
  loginAttempts: LoginAttempts
  tokens: SessionTokens
  currentSession: CurrentSession
  metrics: Metrics
  clock: Clock
  ids: IdSource
  logger: Logger
  /** Upstream callbacks (LiveKit, WeChat) that read their own raw bodies to verify signatures. */
  rawBodyRoutes?: express.Router[]
  /** How many replies the conversation's delivery route still allows (WeChat), if it limits them. */
  replyWindow?: (conversation: Conversation) => Promise<ReplyWindowView | undefined>
  /** What the 3D hall shows, who sits where, and where customers' visits are recorded. */
  hall: { router: RoutingState; seats: HallSeats; visits: HallVisits }
  /** How many devices a user has online. */
  devicesOnline(userId: UserId): Promise<number>
  /** The live figures, alerts and dashboards. */
  quality: Pick<QualityRouteDeps, 'live' | 'alerts' | 'snapshot'>
  knowledge: KnowledgeBase
  emergency: EmergencyMode
  proactive: ProactiveService
  /** The voice service, if this server has one. */
  livekit: LivekitAccess | undefined
  /** False while this node of a cluster cannot reach Redis. */
  clusterReady?: (() => boolean) | undefined
}

/** The REST API, health and metrics endpoints, and the web client's files: one router per resource. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const { config, repo, tokens, clock } = deps
  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy)
  app.use(securityHeaders(config))
  // Upstream callbacks verify signatures over the raw body, so they are mounted before JSON parsing.
  for (const router of deps.rawBodyRoutes ?? []) app.use(router)
  const authenticate = bearerAuthenticator(tokens, deps.currentSession)
  app.use(
    knowledgeRoutes({
      knowledge: deps.knowledge,
      repo,
      authenticate,
      minConfidence: config.bot.policy.minConfidence,
    }),
  )
  app.use(integratorRoutes({ proactive: deps.proactive, secret: config.integratorSecret, now: clock.now }))
  app.use(express.json({ limit: '64kb' }))

  app.use(
    uploadRoutes({
      repo,
      clock,
      maxBytes: config.uploadMaxBytes,
      publicUrl: config.publicUrl,
      authenticate,
      limiter: new RateLimiter(deps.rateLimits, 'upload', config.uploadRateLimitPerMin),
    }),
  )
  app.use(
    sessionRoutes({
      config,
      repo,
      tokens,
      clock,
      ids: deps.ids,
      authenticate,
      rateLimits: deps.rateLimits,
      loginAttempts: deps.loginAttempts,
    }),
  )
  app.use(
    conversationRoutes({
      repo,
      authenticate,
      livekit: deps.livekit,
      replyWindow: deps.replyWindow,
      devicesOnline: deps.devicesOnline,
    }),
  )
  app.use(cannedReplyRoutes({ repo, authenticate, newId: deps.ids.newId, now: clock.now }))
  app.use(
    hallRoutes({
      repo,
      router: deps.hall.router,
      seats: deps.hall.seats,
      authenticate,
      livekit: deps.livekit,
      products: config.products,
      visits: deps.hall.visits,
    }),
  )
  app.use(qualityRoutes({ repo, clock, authenticate, experiments: config.experiments, ...deps.quality }))
  app.use(staffingRoutes({ repo, clock, authenticate }))
  app.use(playbookRoutes({ emergency: deps.emergency, knowledge: deps.knowledge, authenticate }))
  app.use(
    operationsRoutes({
      repo,
      metrics: deps.metrics,
      metricsToken: config.metricsToken,
      isDev: config.isDev,
      clusterReady: deps.clusterReady,
    }),
  )

  app.use('/api', (_request, _response, next) => next(KefuError.notFound('Endpoint')))
  serveClient(app, config.clientDist)
  app.use(errorHandler(deps.logger))
  return app
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> }
  handle: { stack?: RouteLayer[] }
}

/**
 * Every route the app answers, as "METHOD /path", read from its routers (the web client's pages
 * and files aside): the table the authorization matrix test holds its own against, so a route
 * added later cannot go untested.
 */
export function routeTable(app: express.Express): string[] {
  const walk = (layers: RouteLayer[]): string[] =>
    layers.flatMap((layer) => {
      if (layer.handle.stack) return walk(layer.handle.stack)
      const route = layer.route
      if (!route || typeof route.path !== 'string') return []
      return Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path}`)
    })
  return walk((app as unknown as { router: { stack: RouteLayer[] } }).router.stack)
}

function serveClient(app: express.Express, clientDist: string | undefined): void {
  if (!clientDist || !existsSync(join(clientDist, 'index.html'))) return
  app.use(express.static(clientDist, { index: 'index.html', maxAge: '1h' }))
  // The web client routes in the browser: unknown page paths get the app shell.
  app.get(/^\/(?!api|ws|metrics|healthz|readyz).*/, (_request, response) => {
    response.sendFile(join(clientDist, 'index.html'))
  })
}
