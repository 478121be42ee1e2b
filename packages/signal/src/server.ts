import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  asClientMessageId,
  type Clock,
  type Conversation,
  type IdSource,
  type Logger,
  Router,
} from '@kefu/shared'
import { SessionTokens } from './auth/sessionTokens'
import { MemoryBus } from './bus/MemoryBus'
import { Presence } from './bus/Presence'
import { AgentDesk } from './chat/AgentDesk'
import type { ChatContext } from './chat/context'
import { Fanout } from './chat/Fanout'
import { KeyedLock } from './chat/KeyedLock'
import { Lifecycle } from './chat/Lifecycle'
import { Messaging } from './chat/Messaging'
import { systemClock } from './clock'
import { type Config, ConfigError, type LivekitConfig } from './config'
import { createHttpApp } from './http/app'
import { createMetrics } from './http/metrics'
import { schedulePurge } from './jobs/purgeOffline'
import { VoiceRooms } from './livekit/VoiceRooms'
import { livekitWebhookRouter } from './livekit/webhooks'
import { createLogger } from './logger'
import { seedDemoStaff, syncTeams } from './seed'
import { claimDataFolder } from './store/claimDataFolder'
import type { Repository } from './store/Repository'
import { SqliteRepository } from './store/SqliteRepository'
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
  close(): Promise<void>
}

/** Optional replacements for the real clock, logger and store (tests), or a logger shared with main. */
export interface ServerOverrides {
  clock?: Clock
  logger?: Logger
  repo?: Repository
}

const WAL_CHECKPOINT_INTERVAL_MS = 1000
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

async function assemble(
  config: Config,
  overrides: ServerOverrides,
  releaseDataFolder: () => void,
): Promise<KefuServer> {
  const clock = overrides.clock ?? systemClock
  const logger = overrides.logger ?? createLogger(config.logLevel)
  const repo =
    overrides.repo ??
    new SqliteRepository(join(config.dataDir, 'kefu.db'), {
      checkpoint: { intervalMs: WAL_CHECKPOINT_INTERVAL_MS },
      onError: (message) => logger.warn({ message }, 'WAL checkpoint failed'),
    })
  await syncTeams(repo, config.routing)
  if (config.isDev) await seedDemoStaff(repo)

  const metrics = createMetrics()
  const bus = new MemoryBus()
  const presence = new Presence()
  const ctx: ChatContext = {
    repo,
    router: new Router(config.routing),
    routing: config.routing,
    fanout: new Fanout(bus, presence, repo, logger),
    locks: new KeyedLock(),
    clock,
    ids: randomIds,
    logger,
    metrics,
  }
  const lifecycle = new Lifecycle(ctx)
  const messaging = new Messaging(ctx, lifecycle)
  const voiceRooms = config.livekit && createVoiceRooms(config.livekit, logger, repo, messaging)
  ctx.voice = voiceRooms
  const desk = new AgentDesk(ctx, lifecycle, config.agentGraceMs)
  await lifecycle.restore()
  desk.startGraceForAll()

  const tokens = new SessionTokens(config.sessionSecret)
  const rawBodyRoutes = []
  if (config.livekit) {
    const sink = { record: lifecycle.recordVoiceEvent.bind(lifecycle) }
    rawBodyRoutes.push(livekitWebhookRouter({ config: config.livekit, repo, sink, clock, logger }))
  }
  let wechat: WechatChannel | undefined
  if (config.wechat) {
    const api = new WechatApi({ ...config.wechat, now: clock.now, logger })
    wechat = new WechatChannel(config.wechat, repo, api, clock.now, logger)
    ctx.outbound = { wechat }
    rawBodyRoutes.push(
      wechatCallbackRouter({ config: config.wechat, repo, lifecycle, messaging, clock, logger }),
    )
  }
  const replyWindow = async (conversation: Conversation) =>
    conversation.channel === 'wechat' ? wechat?.window(conversation.customerId) : undefined
  const app = createHttpApp({
    config,
    repo,
    tokens,
    metrics,
    clock,
    ids: randomIds,
    logger,
    rawBodyRoutes,
    replyWindow,
  })
  const server = createServer(app)
  const gateway = attachWebSocketGateway({
    server,
    tokens,
    allowedOrigins: config.allowedOrigins,
    logger,
    deps: {
      repo,
      lifecycle,
      messaging,
      desk,
      bus,
      presence,
      clock,
      logger,
      metrics,
      livekit: config.livekit,
      maxFrameBytes: config.maxFrameBytes,
      rateLimitPerS: config.rateLimitPerS,
      rateLimitBurst: config.rateLimitBurst,
    },
  })
  const stopPurge = schedulePurge({
    repo,
    clock,
    logger,
    metrics,
    retentionMs: config.offlineRetentionMs,
    intervalMs: config.purgeIntervalMs,
  })
  const routingTick = setInterval(() => {
    lifecycle.tick().catch((error: unknown) => logger.error({ err: error }, 'routing tick failed'))
  }, config.routingTickMs)
  routingTick.unref()

  const port = await listen(server, config.host, config.port)
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  logger.info({ port, url }, 'listening')

  return {
    url,
    port,
    repo,
    lifecycle,
    async close() {
      clearInterval(routingTick)
      stopPurge()
      desk.stop()
      gateway.close()
      await voiceRooms?.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await repo.close()
      releaseDataFolder()
    },
  }
}

function createVoiceRooms(
  livekit: LivekitConfig,
  logger: Logger,
  repo: Repository,
  messaging: Messaging,
): VoiceRooms {
  return new VoiceRooms({
    config: livekit,
    logger,
    conversation: (conversationId) => repo.getConversation(conversationId),
    async storeRoomChat(session, conversationId, cid, body) {
      return (
        await messaging.send(session, { conversationId, cid: asClientMessageId(cid), kind: 'text', body })
      ).message
    },
  })
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
