import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  asClientMessageId,
  type Clock,
  type Conversation,
  DEFAULT_PROACTIVE_RULES,
  DeliveryRoute,
  type IdSource,
  type Logger,
  type ServerFrame,
} from '@kefu/shared'
import { currentSession } from './auth/currentSession'
import { SessionTokens } from './auth/sessionTokens'
import { Assistant } from './bot/Assistant'
import type { BotHold } from './bot/BotHold'
import type { Lifecycle } from './chat/Lifecycle'
import type { Messaging } from './chat/Messaging'
import { repeatEvery, systemClock } from './clock'
import { type Config, ConfigError, type WechatConfig } from './config'
import { assembleCore, type Ports, portsOf, restoreCore } from './core'
import { EmergencyMode } from './emergency/EmergencyMode'
import { emotionStrategy } from './emotion/EmotionStrategy'
import { NodeChanges } from './events/NodeChanges'
import { HallVisits } from './hall/HallVisits'
import { HallStateFeed, readHallState } from './hall/hallState'
import { createHttpApp, routeTable } from './http/app'
import { importUploadFolder } from './http/uploads'
import { type Integrator, NO_INTEGRATOR, WebhookIntegrator } from './integrator/Integrator'
import { purgeOfflineJob } from './jobs/purgeOffline'
import { JiebaThread } from './knowledge/JiebaThread'
import { KnowledgeBase } from './knowledge/KnowledgeBase'
import { type SemanticRanker, semanticRanker } from './knowledge/SemanticRanker'
import { sentenceModelFolder } from './knowledge/sentenceModel'
import { VoiceCalls } from './livekit/VoiceCalls'
import { VoiceRooms } from './livekit/VoiceRooms'
import { livekitWebhookRouter } from './livekit/webhooks'
import { type LivekitAccess, livekitAccess } from './livekitAccess'
import { NO_COMPOSER, OpenAiCompatibleComposer } from './llm/AnswerComposer'
import { createLogger } from './logger'
import { AlertCenter } from './metrics/AlertCenter'
import { countStoredMessages } from './metrics/countMessages'
import { dashboardSnapshot } from './metrics/dashboardSnapshot'
import { LiveQuality } from './metrics/LiveQuality'
import { createMetrics } from './metrics/prometheus'
import { type FeedScope, QualityFeed } from './metrics/QualityFeed'
import { QualityShare } from './metrics/QualityShare'
import { registerQualityGauges } from './metrics/qualityGauges'
import { serviceTopic } from './ports/Bus'
import type { Locks } from './ports/Locks'
import type { RoomClaims } from './ports/RoomClaims'
import { ProactiveService } from './proactive/ProactiveService'
import { openRedisPorts } from './redis/redisPorts'
import { seedDemoCannedReplies, seedDemoStaff, syncTeams } from './seed'
import { demoIntegrator } from './simulate/demoIntegrator'
import { claimDataFolder } from './store/claimDataFolder'
import { openRepository } from './store/openRepository'
import type { Repository } from './store/Repository'
import { WechatApi } from './wechat/WechatApi'
import { WechatChannel } from './wechat/WechatChannel'
import { wechatCallbackRouter } from './wechat/wechatCallback'
import { attachWebSocketGateway } from './ws/WebSocketGateway'

/** A running server and the handles tests and the CLI need. */
export interface KefuServer {
  readonly url: string
  readonly port: number
  readonly repo: Repository
  readonly lifecycle: Lifecycle
  /** The assistant's hold on conversations (tests read it). */
  readonly hold: BotHold
  /** Mints session tokens as the session routes do (tests, tools). */
  readonly tokens: SessionTokens
  /** Every HTTP route, as "METHOD /path". */
  readonly routes: readonly string[]
  /**
   * Settles once the knowledge base ranks by meaning (or knows it cannot): the server answers before
   * that, by words, so a restart is not an outage while the model encodes every entry.
   */
  readonly meaningReady: Promise<void>
  close(): Promise<void>
}

/**
 * Optional replacements for the real clock, logger and store (tests), or a logger shared with main;
 * and for each port a second node must share (a cluster's Redis implementations, or a test's).
 */
export interface ServerOverrides {
  clock?: Clock
  logger?: Logger
  repo?: Repository
  ports?: Partial<Ports>
}

// Desks and queues in the hall follow the service within this long.
const HALL_STATE_BEAT_MS = 1000
/** Dashboards are pushed at most this often (the 1 Hz). */
const QUALITY_FEED_BEAT_MS = 1000
const randomIds: IdSource = { newId: () => randomUUID().replaceAll('-', '') }

/**
 * Builds every part of the server, restores state from storage and starts listening. With its own
 * store, the server first claims the data folder: one server per folder.
 */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<KefuServer> {
  if (overrides.repo) return assemble(config, overrides, () => {})
  const releaseDataFolder = claimDataFolder(config.dataDir)
  try {
    return await assemble(config, overrides, releaseDataFolder)
  } catch (error) {
    releaseDataFolder()
    throw error
  }
}

/** The parts in the order they need each other: ports, the chat core, features, then the edges. */
async function assemble(
  config: Config,
  overrides: ServerOverrides,
  releaseDataFolder: () => void,
): Promise<KefuServer> {
  const clock = overrides.clock ?? systemClock
  const logger = overrides.logger ?? createLogger(config.logLevel)
  // jieba and the sentence model load on threads of their own while the rest starts.
  const jieba = JiebaThread.shared()
  const rankerOpening = openRanker(config.sentenceModelDir, logger)
  const repo = overrides.repo ?? (await openRepository(config, logger))
  await syncTeams(repo, config.routing)
  const uploadsMoved = await importUploadFolder(config.dataDir, repo, clock.now())
  if (uploadsMoved > 0)
    logger.info({ files: uploadsMoved }, 'uploads moved from the data folder into the store')
  if (config.isDev) {
    await seedDemoStaff(repo, config.routing)
    await seedDemoCannedReplies(repo, randomIds.newId, clock.now())
  }
  const metrics = createMetrics()
  const shape = { routing: config.routing, hallShardCapacity: config.livekit?.hallShardCapacity ?? 1 }
  const cluster =
    config.redisUrl && !overrides.ports
      ? await openRedisPorts(
          { url: config.redisUrl, namespace: config.redisNamespace, nodeId: config.nodeId, ...shape },
          clock,
          logger,
          metrics,
        )
      : undefined
  const ports = portsOf(shape, cluster?.ports ?? overrides.ports ?? {}, clock, logger, metrics)
  const { bus, presence, locks, jobs, router, roomClaims } = ports
  // What was published while this node was cut off reached nobody: every device syncs, on every node.
  const stopHinting = cluster?.onRecovered(() => {
    const hint: ServerFrame = { t: 'sync.hint' }
    bus.publish(serviceTopic, JSON.stringify(hint))
  })

  // The chat core: conversations, their history and its projection, the queue, the lifecycle.
  // A cluster's nodes share what moves their figures, so each counts what all of them saw.
  const qualityShare = new QualityShare(bus)
  const live = new LiveQuality({ repo, router, routing: config.routing, clock, share: qualityShare.publish })
  logger.info({ conversations: await live.warm() }, 'live quality figures read back from the log')
  const unfollowQuality = await qualityShare.follow(live)
  registerQualityGauges(metrics.registry, live, repo, clock)
  const wechat = config.wechat && createWechat(config.wechat, repo, locks, clock, logger)
  const core = await assembleCore({
    config,
    repo,
    ports,
    clock,
    ids: randomIds,
    logger,
    metrics,
    replyGates: wechat ? { [DeliveryRoute.WechatCustomerService]: wechat } : {},
    deliveries: live,
  })
  const { events, conversations, history, writer, queue, lifecycle, messaging } = core

  // Features on the core: voice, the hall, knowledge and the assistant, emergencies, offers, alerts.
  const livekit = config.livekit && livekitAccess(config.livekit, clock.now)
  const voiceRooms = livekit && createVoiceRooms(livekit, logger, repo, roomClaims, messaging)
  const voiceCalls = new VoiceCalls({ repo, conversations, writer, lifecycle, voice: voiceRooms })
  const hallVisits = new HallVisits({ repo, conversations, writer, history })
  const changes = new NodeChanges(bus)
  const knowledge = new KnowledgeBase(repo, clock, jieba, changes)
  await knowledge.load(config.knowledgeSeed)
  const emergency = new EmergencyMode({
    repo,
    knowledge,
    queue,
    history,
    conversations,
    writer,
    router,
    routing: config.routing,
    bus,
    changes,
    locks,
    clock,
    ids: randomIds,
    logger,
  })
  const proactive = new ProactiveService({
    repo,
    lifecycle,
    conversations,
    writer,
    history,
    rules: DEFAULT_PROACTIVE_RULES,
    clock,
    logger,
  })
  const assistant = new Assistant({
    knowledge,
    emergency,
    hold: core.hold,
    history,
    conversations,
    writer,
    integrator: integratorOf(config.integrator, logger, clock),
    composer: config.llm ? new OpenAiCompatibleComposer(config.llm, logger) : NO_COMPOSER,
    policy: config.bot.policy,
    botFirst: config.bot.first,
    logger,
  })
  const alerts = new AlertCenter({
    repo,
    live,
    routing: config.routing,
    rules: config.alertRules,
    clock,
    ids: randomIds,
    logger,
    webhook: config.alertWebhook,
  })

  // Whoever reacts to a stored message or a lifecycle change, after the core, in the order they are told.
  events.subscribe('message.stored', countStoredMessages(metrics))
  events.subscribe('message.stored', (event) => live.record(event))
  if (wechat) events.subscribe('message.stored', (event) => wechat.handleMessageStored(event))
  if (voiceRooms)
    events.subscribe('message.stored', ({ conversation, message }) => voiceRooms.relay(conversation, message))
  events.subscribe('message.stored', (event) => assistant.handleMessageStored(event))
  events.subscribe('message.stored', (event) => emergency.handleMessageStored(event))
  events.subscribe('message.stored', emotionStrategy({ conversations, history, queue, alerts, logger }))
  events.subscribe('conversation.changed', (event) => voiceCalls.handleConversationChanged(event))

  await restoreCore(core)
  await emergency.restore()
  // What another node changes in the store, this one reads again (see the README's cluster table).
  const unfollowChanges = await changes.follow(
    { knowledge: () => knowledge.reload(), playbook: () => emergency.restore() },
    (change, error) => logger.warn({ err: error, change }, 'a change announced by another node was not read'),
  )

  // The edges: upstream webhooks, feeds, HTTP, the WebSocket gateway, scheduled jobs.
  const tokens = new SessionTokens(config.sessionSecret)
  const rawBodyRoutes = []
  if (config.livekit) {
    const sink = { record: voiceCalls.recordVoiceEvent.bind(voiceCalls) }
    rawBodyRoutes.push(
      livekitWebhookRouter({ config: config.livekit, repo, sink, clock, logger, hall: ports.hallSeats }),
    )
  }
  if (config.wechat) {
    rawBodyRoutes.push(
      wechatCallbackRouter({ config: config.wechat, repo, lifecycle, messaging, clock, logger }),
    )
  }
  const replyWindow = async (conversation: Conversation) =>
    conversation.delivery === DeliveryRoute.WechatCustomerService
      ? wechat?.window(conversation.customerId)
      : undefined
  const hallFeed = new HallStateFeed(
    () => readHallState({ repo, router, seats: ports.hallSeats }),
    HALL_STATE_BEAT_MS,
    (error) => logger.warn({ err: error }, 'hall state could not be read'),
    clock,
  )
  const snapshotOf = (scope: FeedScope) =>
    dashboardSnapshot(
      { live, repo, router, alertsFor: (teamIds) => alerts.recent(teamIds) },
      { ...scope, now: clock.now() },
    )
  const qualityFeed = new QualityFeed(
    snapshotOf,
    QUALITY_FEED_BEAT_MS,
    (error) => logger.warn({ err: error }, 'dashboard snapshot could not be built'),
    clock,
  )
  const sessionNow = currentSession(repo)
  const app = createHttpApp({
    config,
    repo,
    livekit,
    clusterReady: cluster?.ready,
    rateLimits: ports.rateLimits,
    loginAttempts: ports.loginAttempts,
    tokens,
    currentSession: sessionNow,
    metrics,
    clock,
    ids: randomIds,
    logger,
    rawBodyRoutes,
    replyWindow,
    hall: { router, seats: ports.hallSeats, visits: hallVisits },
    quality: { live, alerts, snapshot: snapshotOf },
    knowledge,
    emergency,
    proactive,
    devicesOnline: (userId) => presence.devices(userId),
  })
  const server = createServer(app)
  const gateway = attachWebSocketGateway({
    server,
    tokens,
    currentSession: sessionNow,
    reviewIntervalMs: config.sessionReviewMs,
    allowedOrigins: config.allowedOrigins,
    logger,
    deps: {
      repo,
      lifecycle,
      transfers: core.transfers,
      voiceCalls,
      hallVisits,
      messaging,
      desk: core.desk,
      bus,
      presence,
      clock,
      logger,
      metrics,
      livekit,
      hallSeats: ports.hallSeats,
      hallFeed,
      qualityFeed,
      emergency,
      maxFrameBytes: config.maxFrameBytes,
      rateLimitPerS: config.rateLimitPerS,
      rateLimitBurst: config.rateLimitBurst,
    },
  })
  const purge = purgeOfflineJob({
    repo,
    now: clock.now,
    logger,
    metrics,
    retentionMs: config.offlineRetentionMs,
  })
  jobs.every('purge-offline', config.purgeIntervalMs, purge)
  jobs.every('routing-tick', config.routingTickMs, () => queue.tick())
  jobs.every('quality-sample', config.qualitySampleMs, async () => {
    const agents = new Map((await repo.listStaff()).map((member) => [member.id as string, member]))
    await live.sample(agents)
    await alerts.check()
  })
  // The sample runs at one node of a cluster; what every node counted itself, each stores.
  const stopFlushing = repeatEvery(clock, config.qualitySampleMs, () =>
    live
      .flush()
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'live figures not stored; kept for the next try'),
      ),
  )

  const port = await listen(server, config.host, config.port)
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  logger.info({ port, url }, 'listening')
  const meaningReady = rankByMeaningWhenOpen(knowledge, rankerOpening, logger)

  return {
    url,
    port,
    repo,
    lifecycle,
    hold: core.hold,
    tokens,
    routes: routeTable(app),
    meaningReady,
    async close() {
      await meaningReady
      unfollowChanges()
      unfollowQuality()
      stopHinting?.()
      stopFlushing()
      jobs.stop()
      hallFeed.stop()
      qualityFeed.stop()
      await alerts.stop()
      await live.save()
      gateway.close()
      core.onlineNow.stop()
      await voiceRooms?.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      // A store handed in belongs to whoever opened it (another node in the same process, a test).
      if (!overrides.repo) await repo.close()
      await cluster?.close()
      releaseDataFolder()
    },
  }
}

async function rankByMeaningWhenOpen(
  knowledge: KnowledgeBase,
  opening: Promise<SemanticRanker | undefined>,
  logger: Logger,
): Promise<void> {
  const startedAt = performance.now()
  const ranker = await opening
  if (!ranker) return
  await knowledge.rankByMeaning(ranker).then(
    () =>
      logger.info(
        { entries: knowledge.list().length, ms: Math.round(performance.now() - startedAt) },
        'knowledge ranked by meaning',
      ),
    (error: unknown) => logger.error({ err: error }, 'knowledge stays ranked by words alone'),
  )
}

function createVoiceRooms(
  livekit: LivekitAccess,
  logger: Logger,
  repo: Repository,
  claims: RoomClaims,
  messaging: Messaging,
): VoiceRooms {
  return new VoiceRooms({
    config: livekit,
    logger,
    conversation: (conversationId) => repo.getConversation(conversationId),
    claims,
    // Room chat is stored like socket chat.
    async storeRoomChat(session, conversationId, cid, body) {
      const outgoing = { conversationId, cid: asClientMessageId(cid), kind: 'text' as const, body }
      return (await messaging.send(session, outgoing)).message
    },
  })
}

function createWechat(
  wechat: WechatConfig,
  repo: Repository,
  locks: Locks,
  clock: Clock,
  logger: Logger,
): WechatChannel {
  const api = new WechatApi({ ...wechat, repo, locks, clock, logger })
  return new WechatChannel(wechat, repo, api, locks, clock.now, logger)
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(`PORT ${port} on ${host} is in use; stop what listens there or set PORT`)
          : error,
      ),
    )
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })
}

/** What flows call: the shop's signed webhook, the demo's stand-in in development, or nothing. */
function integratorOf(integrator: Config['integrator'], logger: Logger, clock: Clock): Integrator {
  if (integrator === 'demo') return demoIntegrator(() => clock.now())
  return integrator ? new WebhookIntegrator(integrator, logger, () => clock.now()) : NO_INTEGRATOR
}

/**
 * The sentence model's ranker, or none: without the model, or with one that will not open, the
 * knowledge base ranks by words alone, and the log says why.
 */
async function openRanker(setting: string | undefined, logger: Logger): Promise<SemanticRanker | undefined> {
  const folder = sentenceModelFolder(setting)
  if (!folder) {
    if (setting !== 'none') {
      logger.warn(
        { fix: 'pnpm --filter @kefu/signal model:ensure' },
        'no sentence model: knowledge is ranked by words alone',
      )
    }
    return undefined
  }
  try {
    return await semanticRanker(folder)
  } catch (error) {
    logger.error(
      { err: error, folder },
      'the sentence model would not open: knowledge is ranked by words alone',
    )
    return undefined
  }
}
