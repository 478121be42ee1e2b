import type { Attachment, Conversation, Message, Role } from '../domain/index'
import { ErrorCode } from '../errors'
import { asClientMessageId, type ConversationId, newClientMessageId, type TeamId, type UserId } from '../ids'
import type { Cancel, Clock, IdSource, KeyValueStore, Transport } from '../ports'
import {
  type ClientFrameInput,
  CloseCode,
  PROTOCOL_VERSION,
  parseServerFrame,
  type ServerFrame,
  type ServerFrameOf,
  type ServiceNotice,
} from '../protocol/index'
import { ConversationLog, type PendingMessage } from '../sync/index'

/**
 * Connection state as a person would describe it. `outdated`: the server speaks another protocol
 * version, so reconnecting cannot help until the app is updated. `signed_out`: the session's token
 * expired or its account was deactivated, so the app must get a new session first.
 */
export type SessionStatus = 'connecting' | 'online' | 'offline' | 'outdated' | 'signed_out'

/** Who the server says we are. */
export interface SessionIdentity {
  userId: UserId
  role: Role
  displayName: string
  /** A staff member's teams (none for a customer). */
  teams: readonly TeamId[]
}

/**
 * What a change touched, so views can skip what they do not show: a conversation (absent for the
 * session as a whole: status, identity) and the frame type that caused it, if a frame did.
 */
export interface SessionChange {
  conversationId?: ConversationId | undefined
  frame?: ServerFrame['t'] | undefined
}

/** What the session needs from its platform. */
export interface ChatSessionOptions {
  /** Opens a new socket to the server (already carrying the session token). */
  openTransport: () => Transport
  clock: Clock
  ids: IdSource
  /** Keeps the outbox across restarts of the app; optional for short-lived clients. */
  store?: KeyValueStore
  deviceId: string
}

const OUTBOX_KEY = 'kefu.outbox'
const EPOCH_KEY = 'kefu.epoch'
const MAX_BACKOFF_MS = 10_000
const BASE_BACKOFF_MS = 500
const SYNC_PAGE = 200
/** A device meeting a conversation for the first time loads this many recent messages; older ones on demand. */
const INITIAL_HISTORY = 50
// A phone that changes networks often gets no close event: silence longer than this means the socket is dead.
const HEARTBEAT_MS = 25_000
const SILENCE_GRACE_MS = 10_000
// A hint reaches every device of the service at once: each syncs within this long, not all together.
const SYNC_HINT_SPREAD_MS = 5_000

/**
 * A device's view of its conversations, kept right across drops, restarts and other devices.
 * Messages typed offline wait in an outbox and are sent exactly once; after any reconnect each
 * conversation catches up from its cursor. Platform-free: sockets, time and storage are ports.
 */
export class ChatSession {
  status: SessionStatus = 'offline'
  identity: SessionIdentity | undefined
  readonly conversations = new Map<ConversationId, Conversation>()
  readonly typing = new Map<ConversationId, Set<UserId>>()
  readonly readMarks = new Map<ConversationId, Map<UserId, number>>()
  /** Place in the queue while waiting; the agent's name once assigned. */
  readonly waiting = new Map<ConversationId, { position?: number; agentName?: string }>()
  lastError: ServerFrameOf<'error'> | undefined
  /** What the server offers beyond text, from its welcome. */
  features = { voice: false }
  /** The service-wide notice in force (an emergency playbook's banner), from the server. */
  notice: ServiceNotice | undefined

  private readonly logs = new Map<ConversationId, ConversationLog>()
  private readonly listeners = new Set<(change: SessionChange) => void>()
  private readonly binaryListeners = new Set<(data: Uint8Array) => void>()
  private readonly frameListeners = new Set<(frame: ServerFrame) => void>()
  private readonly readSent = new Map<ConversationId, number>()
  private transport: Transport | undefined
  private detach: Cancel[] = []
  private epoch: string | undefined
  private attempts = 0
  private reconnectTimer: Cancel | undefined
  private resendTimer: Cancel | undefined
  private resends = 0
  private heartbeatTimer: Cancel | undefined
  private lastHeardAt = 0
  private stopped = true

  constructor(private readonly options: ChatSessionOptions) {}

  /** Loads the outbox and connects; reconnects by itself until `stop()`. */
  async start(): Promise<void> {
    this.stopped = false
    await this.loadOutbox()
    this.connect()
  }

  stop(): void {
    this.stopped = true
    this.reconnectTimer?.()
    this.resendTimer?.()
    this.heartbeatTimer?.()
    this.closeTransport()
    if (this.status !== 'outdated' && this.status !== 'signed_out') this.setStatus('offline')
  }

  /** The network is back: reconnect now rather than when the backoff timer says. */
  reconnectNow(): void {
    if (this.stopped || this.status !== 'offline') return
    this.reconnectTimer?.()
    this.attempts = 0
    this.connect()
  }

  /** Sends a message the server refused once more, as it was (same `cid`); false if there is none. */
  retry(conversationId: ConversationId, cid: string): boolean {
    const again = this.log(conversationId).retry(asClientMessageId(cid))
    if (!again) return false
    void this.saveOutbox()
    this.transmit(again)
    this.emit({ conversationId })
    return true
  }

  /** Drops a message that was never stored (a refused one, or one still waiting to go out). */
  discard(conversationId: ConversationId, cid: string): boolean {
    if (!this.log(conversationId).discard(asClientMessageId(cid))) return false
    void this.saveOutbox()
    this.emit({ conversationId })
    return true
  }

  /** Sends a binary frame (bridged audio) if online and the socket carries binary. */
  sendBinary(data: Uint8Array): boolean {
    if (this.status !== 'online' || !this.transport?.sendBinary) return false
    this.transport.sendBinary(data)
    return true
  }

  /** Calls `listener` with each binary frame from the server; returns the unsubscribe function. */
  onBinary(listener: (data: Uint8Array) => void): Cancel {
    this.binaryListeners.add(listener)
    return () => this.binaryListeners.delete(listener)
  }

  /** Calls `listener` with each frame from the server, after the session has taken it in. */
  onFrame(listener: (frame: ServerFrame) => void): Cancel {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (change: SessionChange) => void): Cancel {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Adds older messages (a page from the history API) to a conversation's log. */
  mergeOlder(conversationId: ConversationId, messages: readonly Message[]): void {
    if (this.log(conversationId).mergeOlder(messages) > 0) this.emit({ conversationId })
  }

  /** The log of one conversation (created empty on first use). */
  log(conversationId: ConversationId): ConversationLog {
    let log = this.logs.get(conversationId)
    if (!log) {
      log = new ConversationLog()
      this.logs.set(conversationId, log)
    }
    return log
  }

  /** Opens the customer's conversation; its channel is the one the session was issued for. */
  openConversation(): void {
    this.sendFrame({ t: 'conversation.open' })
  }

  /** Shows the message at once and sends it now or when back online; returns its `cid`. */
  send(
    conversationId: ConversationId,
    body: string,
    media?: { kind: 'image' | 'voice'; attachment: Attachment },
  ): string {
    const identity = this.identity
    if (!identity) throw new Error('Not connected yet')
    const createdAt = this.options.clock.now()
    const pending: PendingMessage = {
      conversationId,
      seq: null,
      cid: newClientMessageId(createdAt, this.options.ids.newId(), this.options.deviceId),
      authorId: identity.userId,
      authorRole: identity.role,
      kind: media?.kind ?? 'text',
      body,
      ...(media ? { attachment: media.attachment } : {}),
      createdAt,
    }
    this.log(conversationId).addPending(pending)
    void this.saveOutbox()
    this.transmit(pending)
    this.emit({ conversationId })
    return pending.cid
  }

  setTyping(conversationId: ConversationId, isTyping: boolean): void {
    this.sendFrame({ t: 'typing', conversationId, isTyping })
  }

  markRead(conversationId: ConversationId): void {
    const seq = this.log(conversationId).cursor
    const mine = this.identity && this.readMarks.get(conversationId)?.get(this.identity.userId)
    // Views call this on every change; a mark already sent (its echo not back yet) is not sent again.
    if (seq <= 0 || seq === mine || seq === this.readSent.get(conversationId)) return
    if (this.sendFrame({ t: 'read', conversationId, seq })) this.readSent.set(conversationId, seq)
  }

  /** Sends any other frame (transfer, resolve, reopen, agent status) if online. */
  sendFrame(frame: ClientFrameInput): boolean {
    if (this.status !== 'online' || !this.transport) return false
    this.transport.send(JSON.stringify(frame))
    return true
  }

  private connect(): void {
    this.closeTransport()
    this.setStatus('connecting')
    const transport = this.options.openTransport()
    this.transport = transport
    this.detach = [
      transport.onOpen(() => {
        transport.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: this.options.deviceId }))
      }),
      transport.onMessage((text) => this.handleText(text)),
      transport.onClose((code) => this.handleDisconnect(code)),
      ...(transport.onBinary
        ? [transport.onBinary((data) => this.binaryListeners.forEach((listener) => void listener(data)))]
        : []),
    ]
  }

  private handleDisconnect(code?: number): void {
    this.heartbeatTimer?.()
    this.heartbeatTimer = undefined
    this.closeTransport()
    // Some platforms lose the close code; the error frame sent just before it says the same.
    if (code === CloseCode.ProtocolMismatch || this.lastError?.code === ErrorCode.ProtocolMismatch) {
      this.stopped = true
      this.setStatus('outdated')
      return
    }
    if (code === CloseCode.SessionEnded) {
      this.stopped = true
      this.setStatus('signed_out')
      return
    }
    this.setStatus('offline')
    if (this.stopped) return
    // Rights that changed are read again at once: the server is fine, only what we may see moved.
    if (code === CloseCode.SessionChanged) this.attempts = 0
    const delay =
      code === CloseCode.SessionChanged ? 0 : Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** this.attempts++)
    this.reconnectTimer = this.options.clock.setTimeout(() => this.connect(), delay)
  }

  private closeTransport(): void {
    for (const cancel of this.detach) cancel()
    this.detach = []
    this.transport?.close()
    this.transport = undefined
  }

  private handleText(text: string): void {
    this.lastHeardAt = this.options.clock.now()
    const parsed = parseServerFrame(text)
    // A frame this client cannot read (newer server, corruption) is skipped, not fatal.
    if (!parsed.ok) return
    const frame = parsed.value
    this.handleFrame(frame)
    for (const listener of this.frameListeners) listener(frame)
    this.emit({ conversationId: conversationOf(frame), frame: frame.t })
  }

  private handleFrame(frame: ServerFrame): void {
    switch (frame.t) {
      case 'welcome':
        this.handleWelcome(frame)
        break
      case 'ack':
        this.resends = 0
        this.log(frame.conversationId).applyAck(frame.cid, frame.seq, frame.createdAt)
        void this.saveOutbox()
        break
      case 'message.new':
        this.mergeAndFillGaps(frame.message.conversationId, [frame.message])
        break
      case 'sync.batch':
        this.mergeAndFillGaps(frame.conversationId, frame.messages)
        if (frame.hasMore) this.requestSync(frame.conversationId)
        break
      case 'sync.reset':
        this.handleReset(frame.conversationId)
        break
      case 'sync.hint':
        this.syncAllSoon()
        break
      case 'typing':
        this.handleTyping(frame)
        break
      case 'read':
        this.handleRead(frame)
        break
      case 'error':
        this.lastError = frame
        if (frame.ref === undefined) break
        if (frame.code === ErrorCode.Unavailable) this.resendLater()
        else this.handleRefusal(frame.ref, frame)
        break
      case 'service.notice':
        this.notice = frame.notice ?? undefined
        break
      case 'presence':
      case 'pong':
      case 'voice.bridge.ready':
      case 'voice.bridge.stopped':
      case 'hall.joined':
      case 'hall.left':
      case 'hall.roster':
      case 'hall.state':
      case 'hall.showcase':
      case 'quality.snapshot':
        break
      default:
        this.handleConversationChange(frame)
    }
  }

  /**
   * The server could not store for a moment (its store or cluster was away): what waits in the
   * outbox stays there and goes again under the same cid, so it is stored once when it is back.
   */
  private resendLater(): void {
    if (this.resendTimer) return
    const delay = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** this.resends++)
    this.resendTimer = this.options.clock.setTimeout(() => {
      this.resendTimer = undefined
      if (this.status !== 'online') return
      for (const log of this.logs.values()) for (const pending of log.unacknowledged()) this.transmit(pending)
    }, delay)
  }

  // A refused message leaves the outbox: resending it on every reconnect would be refused forever.
  private handleRefusal(ref: string, frame: ServerFrameOf<'error'>): void {
    const failure = { code: frame.code, message: frame.message }
    for (const log of this.logs.values()) {
      if (log.fail(asClientMessageId(ref), failure)) {
        void this.saveOutbox()
        return
      }
    }
  }

  private handleRead(frame: ServerFrameOf<'read'>): void {
    const marks = this.readMarks.get(frame.conversationId) ?? new Map<UserId, number>()
    marks.set(frame.userId, Math.max(marks.get(frame.userId) ?? 0, frame.seq))
    this.readMarks.set(frame.conversationId, marks)
  }

  private handleWelcome(frame: ServerFrameOf<'welcome'>): void {
    // A server that speaks another version would misread what this device sends: stop here.
    if (frame.v !== PROTOCOL_VERSION) {
      this.stopped = true
      this.closeTransport()
      this.setStatus('outdated')
      return
    }
    this.attempts = 0
    // A mark sent on the previous socket may have died with it.
    this.readSent.clear()
    this.identity = {
      userId: frame.userId,
      role: frame.role,
      displayName: frame.displayName,
      teams: frame.teams ?? [],
    }
    this.features = { voice: frame.features?.voice ?? false }
    this.notice = frame.notice ?? undefined
    if (this.epoch !== undefined && this.epoch !== frame.epoch) this.resetAllLogs()
    this.epoch = frame.epoch
    void this.options.store?.set(EPOCH_KEY, frame.epoch)
    for (const conversation of frame.conversations) this.meet(conversation)
    this.setStatus('online')
    this.scheduleHeartbeat()
    for (const conversationId of new Set([...this.conversations.keys(), ...this.logs.keys()])) {
      this.requestSync(conversationId)
      for (const pending of this.log(conversationId).unacknowledged()) this.transmit(pending)
    }
  }

  private syncAllSoon(): void {
    this.options.clock.setTimeout(() => {
      if (this.status !== 'online') return
      for (const conversationId of this.logs.keys()) this.requestSync(conversationId)
    }, Math.random() * SYNC_HINT_SPREAD_MS)
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer?.()
    this.heartbeatTimer = this.options.clock.setTimeout(() => {
      if (this.status !== 'online') return
      if (this.options.clock.now() - this.lastHeardAt > HEARTBEAT_MS + SILENCE_GRACE_MS) {
        this.handleDisconnect()
        return
      }
      this.sendFrame({ t: 'ping', at: this.options.clock.now() })
      this.scheduleHeartbeat()
    }, HEARTBEAT_MS)
  }

  private handleConversationChange(frame: Extract<ServerFrame, { conversation: Conversation }>): void {
    const known = this.conversations.get(frame.conversation.id)
    const isNew = known === undefined
    // Frames may arrive out of order across topics; never let an older snapshot win.
    if (known && known.updatedAt > frame.conversation.updatedAt) return
    this.meet(frame.conversation)
    if (frame.t === 'conversation.queued')
      this.waiting.set(frame.conversation.id, { position: frame.position })
    if (frame.t === 'conversation.assigned')
      this.waiting.set(frame.conversation.id, { agentName: frame.agentName })
    if (isNew) this.requestSync(frame.conversation.id)
  }

  // First sight of a conversation on this device: start its log a page before the end, not at seq 0.
  private meet(conversation: Conversation): void {
    this.conversations.set(conversation.id, conversation)
    if (!this.logs.has(conversation.id)) {
      this.logs.set(conversation.id, new ConversationLog(Math.max(0, conversation.lastSeq - INITIAL_HISTORY)))
    }
  }

  private handleTyping(frame: ServerFrameOf<'typing'>): void {
    if (frame.userId === this.identity?.userId) return
    const who = this.typing.get(frame.conversationId) ?? new Set<UserId>()
    if (frame.isTyping) who.add(frame.userId)
    else who.delete(frame.userId)
    this.typing.set(frame.conversationId, who)
  }

  private mergeAndFillGaps(
    conversationId: ConversationId,
    messages: ServerFrameOf<'sync.batch'>['messages'],
  ): void {
    const outcome = this.log(conversationId).merge(messages)
    for (const message of messages) this.clearTyping(conversationId, message.authorId)
    if (outcome.gapAfterSeq !== null) this.requestSync(conversationId)
    void this.saveOutbox()
  }

  private clearTyping(conversationId: ConversationId, userId: UserId): void {
    this.typing.get(conversationId)?.delete(userId)
  }

  private handleReset(conversationId: ConversationId): void {
    const unsent = this.log(conversationId).unacknowledged()
    const fresh = new ConversationLog()
    for (const pending of unsent) fresh.addPending(pending)
    this.logs.set(conversationId, fresh)
    this.requestSync(conversationId, 0)
  }

  private resetAllLogs(): void {
    for (const conversationId of [...this.logs.keys()]) this.handleReset(conversationId)
  }

  private requestSync(conversationId: ConversationId, afterSeq = this.log(conversationId).cursor): void {
    this.sendFrame({
      t: 'sync.request',
      conversationId,
      afterSeq,
      limit: SYNC_PAGE,
      ...(this.epoch === undefined ? {} : { epoch: this.epoch }),
    })
  }

  private transmit(pending: PendingMessage): void {
    const { conversationId, cid, kind, body, attachment } = pending
    const sendable = kind === 'voice' || kind === 'image' ? kind : 'text'
    this.sendFrame({
      t: 'message.send',
      conversationId,
      cid,
      kind: sendable,
      body,
      ...(attachment ? { attachment } : {}),
    })
  }

  private async loadOutbox(): Promise<void> {
    const store = this.options.store
    if (!store) return
    this.epoch = await store.get(EPOCH_KEY)
    const saved = await store.get(OUTBOX_KEY)
    if (!saved) return
    try {
      for (const pending of JSON.parse(saved) as PendingMessage[])
        this.log(pending.conversationId).addPending(pending)
    } catch {
      // A corrupt outbox is dropped rather than blocking the chat; the server has everything acknowledged.
      await store.remove(OUTBOX_KEY)
    }
  }

  private async saveOutbox(): Promise<void> {
    const store = this.options.store
    if (!store) return
    const pending = [...this.logs.values()].flatMap((log) => log.outbox())
    await (pending.length > 0 ? store.set(OUTBOX_KEY, JSON.stringify(pending)) : store.remove(OUTBOX_KEY))
  }

  private setStatus(status: SessionStatus): void {
    if (this.status === status) return
    this.status = status
    this.emit({})
  }

  private emit(change: SessionChange): void {
    for (const listener of this.listeners) listener(change)
  }
}

function conversationOf(frame: ServerFrame): ConversationId | undefined {
  if ('conversationId' in frame) return frame.conversationId
  if ('conversation' in frame) return frame.conversation.id
  if (frame.t === 'message.new') return frame.message.conversationId
  return undefined
}
