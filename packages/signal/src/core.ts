import type { Clock, IdSource, Logger } from '@kefu/shared'
import { BotHold } from './bot/BotHold'
import { Conversations } from './chat/Conversations'
import { Fanout } from './chat/Fanout'
import { HistoryProjection } from './chat/HistoryProjection'
import { Lifecycle } from './chat/Lifecycle'
import { MessageWriter } from './chat/MessageWriter'
import { Messaging, type MessagingDeps } from './chat/Messaging'
import type { Config } from './config'
import { DomainEvents } from './events/DomainEvents'
import { InProcessJobs } from './local/InProcessJobs'
import { InProcessRoomClaims } from './local/InProcessRoomClaims'
import { KeyedLock } from './local/KeyedLock'
import { LocalHallSeats } from './local/LocalHallSeats'
import { LocalLoginAttempts } from './local/LocalLoginAttempts'
import { LocalPresence } from './local/LocalPresence'
import { LocalRateLimits } from './local/LocalRateLimits'
import { LocalRoutingState } from './local/LocalRoutingState'
import { MemoryBus } from './local/MemoryBus'
import type { Metrics } from './metrics/prometheus'
import type { Bus } from './ports/Bus'
import type { DeliveryLog } from './ports/DeliveryLog'
import type { HallSeats } from './ports/HallSeats'
import type { Jobs } from './ports/Jobs'
import type { Locks } from './ports/Locks'
import type { LoginAttempts } from './ports/LoginAttempts'
import { type PresenceStore, PresenceView } from './ports/Presence'
import type { RateLimits } from './ports/RateLimits'
import type { RoomClaims } from './ports/RoomClaims'
import type { RoutingState } from './ports/RoutingState'
import { AgentDesk } from './routing/AgentDesk'
import { RoutingQueue } from './routing/RoutingQueue'
import { Transfers } from './routing/Transfers'
import type { Repository } from './store/Repository'

/** What several nodes of one service share; each defaults to its single-node implementation. */
export interface Ports {
  bus: Bus
  presence: PresenceStore
  locks: Locks
  jobs: Jobs
  router: RoutingState
  roomClaims: RoomClaims
  rateLimits: RateLimits
  loginAttempts: LoginAttempts
  hallSeats: HallSeats
}

/** The ports a cluster shares, as given, or this node's own. */
export function portsOf(
  { routing, hallShardCapacity }: { routing: Config['routing']; hallShardCapacity: number },
  given: Partial<Ports>,
  clock: Clock,
  logger: Logger,
  metrics: Pick<Metrics, 'jobRuns'>,
): Ports {
  return {
    bus: given.bus ?? new MemoryBus(),
    presence: given.presence ?? new LocalPresence(),
    locks: given.locks ?? new KeyedLock(),
    jobs: given.jobs ?? new InProcessJobs(clock, logger, metrics),
    router: given.router ?? new LocalRoutingState(routing),
    roomClaims: given.roomClaims ?? new InProcessRoomClaims(),
    rateLimits: given.rateLimits ?? new LocalRateLimits(clock),
    loginAttempts: given.loginAttempts ?? new LocalLoginAttempts(),
    hallSeats: given.hallSeats ?? new LocalHallSeats(hallShardCapacity, clock.now),
  }
}

export interface CoreDeps {
  config: Pick<Config, 'routing' | 'experiments' | 'bot' | 'agentGraceMs'>
  repo: Repository
  ports: Ports
  clock: Clock
  ids: IdSource
  logger: Logger
  metrics: Metrics
  /** Reply limits by delivery route (WeChat's window), where a route has them. */
  replyGates?: MessagingDeps['replyGates']
  /** Counts owed and delivered messages (the delivery metric). */
  deliveries?: DeliveryLog | undefined
}

/** The chat core: conversations and their history, the queue, the lifecycle, and the people's desks. */
export interface Core {
  events: DomainEvents
  fanout: Fanout
  onlineNow: PresenceView
  conversations: Conversations
  history: HistoryProjection
  writer: MessageWriter
  queue: RoutingQueue
  lifecycle: Lifecycle
  transfers: Transfers
  hold: BotHold
  desk: AgentDesk
  messaging: Messaging
}

/**
 * Builds the chat core, in the order its parts need each other, and subscribes the core's own
 * reactions to what it stores. The server adds its features on top; the core's tests build this
 * alone, on SQLite in memory and a manual clock.
 */
export async function assembleCore(deps: CoreDeps): Promise<Core> {
  const { config, repo, ports, clock, ids, logger, metrics } = deps
  const { bus, presence, locks, jobs, router } = ports
  const events = new DomainEvents(logger)
  const onlineNow = await PresenceView.of(presence)
  const fanout = new Fanout(bus, onlineNow, repo, logger, deps.deliveries)
  const conversations = new Conversations(repo, locks, clock, events)
  const history = new HistoryProjection(repo)
  const writer = new MessageWriter(repo, events, clock, ids, metrics, history)
  const queue = new RoutingQueue({
    repo,
    conversations,
    writer,
    history,
    router,
    fanout,
    locks,
    clock,
    metrics,
    logger,
  })
  const lifecycle = new Lifecycle({
    repo,
    conversations,
    writer,
    history,
    queue,
    fanout,
    routing: config.routing,
    locks,
    clock,
    ids,
    experiments: config.experiments,
    botFirst: config.bot.first,
  })
  const transfers = new Transfers({
    repo,
    conversations,
    writer,
    router,
    queue,
    routing: config.routing,
    clock,
  })
  const hold = new BotHold({ conversations, writer, history, queue, clock })
  const desk = new AgentDesk({ repo, router, queue, fanout, jobs, graceMs: config.agentGraceMs })
  const messaging = new Messaging({
    repo,
    conversations,
    writer,
    fanout,
    lifecycle,
    replyGates: deps.replyGates ?? {},
    clock,
    logger,
    deliveries: deps.deliveries,
  })
  events.subscribe('message.stored', (event) => lifecycle.handleMessageStored(event))
  events.subscribe('message.stored', (event) => fanout.handleMessageStored(event))
  events.subscribe('conversation.changed', (event) => fanout.handleConversationChanged(event))
  return {
    events,
    fanout,
    onlineNow,
    conversations,
    history,
    writer,
    queue,
    lifecycle,
    transfers,
    hold,
    desk,
    messaging,
  }
}

/** Rebuilds what the core keeps of routing from storage after a start, and starts the agents' grace. */
export async function restoreCore(core: Core): Promise<void> {
  await core.queue.restore()
  await core.desk.startGraceForAll()
}
