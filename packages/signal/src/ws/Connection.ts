import { randomUUID } from 'node:crypto'
import {
  type ClientFrame,
  type Clock,
  CloseCode,
  ErrorCode,
  err,
  isKefuError,
  KefuError,
  type Logger,
  PoseFrameKind,
  PROTOCOL_VERSION,
  parseClientFrame,
  type Result,
  refOfFrame,
  type ServerFrame,
  TokenBucket,
} from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import { OPEN_STATES } from '../chat/Conversations'
import type { Lifecycle } from '../chat/Lifecycle'
import type { Messaging } from '../chat/Messaging'
import { SerialQueue } from '../chat/SerialQueue'
import type { EmergencyMode } from '../emergency/EmergencyMode'
import type { HallVisits } from '../hall/HallVisits'
import type { HallStateFeed } from '../hall/hallState'
import type { VoiceCalls } from '../livekit/VoiceCalls'
import type { LivekitAccess } from '../livekitAccess'
import type { Metrics } from '../metrics/prometheus'
import type { QualityFeed } from '../metrics/QualityFeed'
import { asOutage } from '../outage'
import { type Bus, serviceTopic, superviseTopic, teamTopic, userTopic } from '../ports/Bus'
import type { HallSeats } from '../ports/HallSeats'
import type { PresenceStore } from '../ports/Presence'
import type { AgentDesk } from '../routing/AgentDesk'
import type { Transfers } from '../routing/Transfers'
import type { Repository } from '../store/Repository'
import type { ConnectionContext } from './ConnectionContext'
import { type FrameScope, routeFrame } from './frameRouter'
import { HallSlot } from './HallSlot'
import type { ServerSocket } from './ServerSocket'
import { VoiceBridgeSlot } from './VoiceBridgeSlot'

// A consumer this far behind is not reading; dropping it protects the server's memory.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
const MAX_BUFFERED_AUDIO_BYTES = 64 * 1024

/** What a connection needs from the rest of the server. */
export interface ConnectionDeps {
  repo: Repository
  lifecycle: Lifecycle
  transfers: Transfers
  voiceCalls: VoiceCalls
  hallVisits: HallVisits
  messaging: Messaging
  desk: AgentDesk
  bus: Bus
  presence: PresenceStore
  clock: Clock
  logger: Logger
  metrics: Metrics
  /** Absent when voice is off. */
  livekit: LivekitAccess | undefined
  /** Who sits where in the 3D hall, for clients the server seats there itself. */
  hallSeats: HallSeats
  /** What the hall shows, pushed to sockets that watch it. */
  hallFeed: HallStateFeed
  /** Supervisors' dashboards, pushed to sockets that watch them. */
  qualityFeed: QualityFeed
  /** The service-wide notice for the welcome; later changes come on the service topic. */
  emergency: Pick<EmergencyMode, 'notice'>
  maxFrameBytes: number
  rateLimitPerS: number
  rateLimitBurst: number
}

/** One client socket: frames in order, each answered or refused with a stable error code. */
export class Connection {
  private readonly limiter: TokenBucket
  /** Unique across nodes, so a bus message can say which connection caused it. */
  private readonly id = randomUUID()
  private readonly unsubscribers: (() => void)[] = []
  private deviceId: string | undefined
  /** Counted in presence: the hello got that far. */
  private counted = false
  private readonly frames = new SerialQueue()
  private closed = false
  private readonly voiceBridge: VoiceBridgeSlot
  private readonly hall: HallSlot
  /** What every frame handler works on, built once: frames come at a thousand a second. */
  private readonly scope: FrameScope
  private stopDashboard: (() => void) | undefined

  constructor(
    private readonly socket: ServerSocket,
    private readonly session: Session,
    private readonly deps: ConnectionDeps,
  ) {
    this.limiter = new TokenBucket(deps.rateLimitPerS, deps.rateLimitBurst, deps.clock.now())
    const context: ConnectionContext = {
      session,
      deps,
      connectionId: this.id,
      send: (frame) => this.send(frame),
      sendBinary: (bytes) => this.sendBinary(bytes),
      isClosed: () => this.closed,
    }
    this.voiceBridge = new VoiceBridgeSlot(context)
    this.hall = new HallSlot(context)
    this.scope = {
      ...context,
      voiceBridge: this.voiceBridge,
      hall: this.hall,
      watchDashboard: (stop) => {
        this.stopDashboard?.()
        this.stopDashboard = stop
      },
    }
    deps.metrics.connections.inc()
    socket.on('message', (data, isBinary) => this.handleRaw(data, isBinary))
    socket.on('close', () => this.handleClose())
    socket.on('error', (error) => deps.logger.warn({ err: error, userId: session.userId }, 'socket error'))
  }

  private handleRaw(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      const refusal =
        data[0] === PoseFrameKind.Up ? this.hall.handlePose(bytes) : this.voiceBridge.handleAudio(bytes)
      if (refusal) this.refuse(refusal)
      return
    }
    const receivedAt = performance.now()
    const screened = this.screen(data)
    if (!screened.ok) {
      // A malformed message is named by its cid, so the sender stops resending it.
      const ref = screened.error.code === ErrorCode.BadFrame ? refOfFrame(data.toString('utf8')) : undefined
      this.refuse(screened.error, ref)
      return
    }
    const frame = screened.value
    this.deps.metrics.frames.inc({ type: frame.t })
    // Frames of one socket are handled strictly in arrival order, so a sender's messages keep their order.
    void this.frames.run(() =>
      this.dispatch(frame, receivedAt).catch((error: unknown) => this.refuse(error, refOf(frame))),
    )
  }

  /** Size, rate and shape checks, cheapest first. */
  private screen(data: Buffer): Result<ClientFrame, KefuError> {
    const limit = this.deps.maxFrameBytes
    if (data.byteLength > limit)
      return err(new KefuError(ErrorCode.FrameTooLarge, `Frames are limited to ${limit} bytes`))
    if (!this.limiter.tryTake(this.deps.clock.now()))
      return err(new KefuError(ErrorCode.RateLimited, 'Slow down'))
    return parseClientFrame(data.toString('utf8'))
  }

  private async dispatch(frame: ClientFrame, receivedAt: number): Promise<void> {
    if (frame.t === 'hello') return this.handleHello(frame.v, frame.deviceId)
    if (frame.t === 'ping')
      return this.send({ t: 'pong', ...(frame.at === undefined ? {} : { at: frame.at }) })
    if (this.deviceId === undefined) throw KefuError.badRequest('Send hello first')
    await routeFrame(this.scope, frame, receivedAt)
  }

  private async handleHello(version: number, deviceId: string): Promise<void> {
    if (version !== PROTOCOL_VERSION) {
      this.refuse(
        new KefuError(ErrorCode.ProtocolMismatch, `This server speaks protocol ${PROTOCOL_VERSION}`),
      )
      this.socket.close(CloseCode.ProtocolMismatch, 'protocol mismatch')
      return
    }
    if (this.deviceId !== undefined) throw KefuError.badRequest('Hello was already sent')
    this.deviceId = deviceId
    const { bus, presence, repo, desk, messaging } = this.deps
    const deliver = (payload: string, origin: string | undefined) => {
      if (origin !== this.id) this.sendRaw(payload)
    }
    const topics = [userTopic(this.session.userId), serviceTopic]
    for (const teamId of this.session.teams) {
      topics.push(teamTopic(teamId))
      if (this.session.role === 'supervisor') topics.push(superviseTopic(teamId))
    }
    // Subscribed before state is read, so nothing published in between is missed.
    this.unsubscribers.push(...(await Promise.all(topics.map((topic) => bus.subscribe(topic, deliver)))))
    if (this.closed) return this.unsubscribe()
    const isFirstDevice = await presence.connect(this.session.userId)
    this.counted = true
    if (this.closed) return this.leavePresence()
    this.send({
      t: 'welcome',
      v: PROTOCOL_VERSION,
      epoch: await repo.epoch(),
      userId: this.session.userId,
      role: this.session.role,
      displayName: this.session.displayName,
      conversations: await this.visibleConversations(),
      ...(this.session.role === 'customer' ? {} : { teams: [...this.session.teams] }),
      features: { voice: this.deps.livekit !== undefined },
      notice: this.deps.emergency.notice(),
    })
    if (isFirstDevice && this.session.role === 'agent') await desk.online(this.session)
    for (const message of await messaging.takeOffline(this.session.userId))
      this.send({ t: 'message.new', message })
  }

  private async visibleConversations() {
    const { repo } = this.deps
    const session = this.session
    if (session.role === 'customer') return repo.listConversations({ customerId: session.userId, limit: 20 })
    // A supervisor watches every open conversation of their teams, whoever works it.
    if (session.role === 'supervisor')
      return repo.listConversations({ teamIds: session.teams, states: OPEN_STATES, limit: 200 })
    const mine = await repo.listConversations({ agentId: session.userId, states: OPEN_STATES, limit: 200 })
    const teamQueue = await repo.listConversations({ teamIds: session.teams, states: ['queued'], limit: 200 })
    return [...mine, ...teamQueue]
  }

  private handleClose(): void {
    if (this.closed) return
    this.closed = true
    this.voiceBridge.close()
    this.hall.close()
    this.stopDashboard?.()
    this.deps.metrics.connections.dec()
    this.unsubscribe()
    // A socket that closes while its hello is being counted leaves once the count is in.
    if (this.counted) this.leavePresence()
  }

  private leavePresence(): void {
    void this.deps.presence
      .disconnect(this.session.userId)
      .then((wasLast) => (wasLast ? this.deps.desk.offline(this.session) : undefined))
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error, userId: this.session.userId }, 'presence not updated on close'),
      )
  }

  private unsubscribe(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe()
  }

  private refuse(error: unknown, ref?: string): void {
    const known = isKefuError(error) ? error : asOutage(error)
    if (!known) this.deps.logger.error({ err: error, userId: this.session.userId }, 'frame handling failed')
    const code = known ? known.code : ErrorCode.Internal
    this.deps.metrics.frameErrors.inc({ code })
    const message = known ? known.message : 'Something went wrong on our side'
    this.send({ t: 'error', code, message, ...(ref === undefined ? {} : { ref }) })
  }

  private send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame))
  }

  private sendBinary(bytes: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    // Audio is the first thing to give up when a consumer falls behind: late audio is useless.
    if (this.socket.bufferedAmount > MAX_BUFFERED_AUDIO_BYTES) return
    this.socket.send(bytes, { binary: true })
  }

  private sendRaw(payload: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(CloseCode.SlowConsumer, 'too slow')
      return
    }
    this.socket.send(payload)
  }
}

function refOf(frame: ClientFrame): string {
  return frame.t === 'message.send' ? frame.cid : frame.t
}
