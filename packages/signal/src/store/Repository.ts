import type {
  Alert,
  Attachment,
  BehaviourEvent,
  CannedReply,
  Channel,
  ClientMessageId,
  Conversation,
  ConversationId,
  ConversationState,
  DeliveryRoute,
  EwmaState,
  HandoverNote,
  KnowledgeRecord,
  KnowledgeUsage,
  KnowledgeUse,
  Message,
  MessageKind,
  PlaybookActivation,
  Role,
  TeamId,
  UserId,
} from '@kefu/shared'

/** One live figure of one five-minute bucket (queue, occupancy, deliveries), as the dashboard keeps it. */
export interface LiveFigureRow {
  bucket: number
  figure: string
  scope: string
  sum: number
  count: number
  max: number
}

/** A team as stored. */
export interface TeamRecord {
  id: TeamId
  name: string
  answerTargetMs: number
}

/** Staff roles that log in with a password. */
export type StaffRole = 'agent' | 'supervisor'

/** An agent or supervisor account. */
export interface StaffRecord {
  id: UserId
  login: string
  displayName: string
  role: StaffRole
  passwordHash: string
  capacity: number
  teams: TeamId[]
  /** False once deactivated: the account can no longer sign in, and its live sessions end. */
  active: boolean
}

/** What changes about a staff member after they were added. */
export interface StaffChange {
  teams?: TeamId[]
  active?: boolean
}

/** What we know of a customer, as last verified. */
export interface CustomerRecord {
  id: UserId
  displayName: string
  vipLevel: number
  lastPurchaseAt: number | null
  platform: Channel
  isGuest: boolean
  /** As the integrator's signed profile gives it (`en`, `zh`); null when nobody said. */
  language: string | null
}

/** A conversation before it has an id-sequence or state history. */
export interface NewConversation {
  id: ConversationId
  customerId: UserId
  customerName: string
  channel: Channel
  delivery: DeliveryRoute
  teamId: TeamId
  priority: number
  createdAt: number
}

/**
 * Fields that change over a conversation's life; `updatedAt` always does. Messages do not count as a
 * change here: `lastSeq` says how far the history has grown.
 */
export type ConversationPatch = Partial<
  Pick<
    Conversation,
    'state' | 'teamId' | 'agentId' | 'priority' | 'queuedAt' | 'firstResponseAt' | 'resolvedAt' | 'voiceRoom'
  >
> & { updatedAt: number }

/** A message to store; the store gives it its `seq`. */
export interface NewMessage {
  conversationId: ConversationId
  cid: ClientMessageId
  authorId: UserId
  authorRole: Role
  kind: MessageKind
  body: string
  attachment?: Attachment | undefined
  createdAt: number
}

/** The stored message, and whether it was there already (same `cid`). */
export interface AppendResult {
  message: Message
  isDuplicate: boolean
}

/** Whether a message may go into its conversation as the store holds it now. */
export type Admits = (conversation: Conversation) => boolean

/**
 * A conditional append's result, with the conversation as the store held it when it decided (its
 * agent is who the message goes to; its `lastSeq` may be behind the message's).
 */
export interface AppendedWhile extends AppendResult {
  conversation: Conversation
}

/** A filter for conversation lists, newest activity first. */
export interface ConversationQuery {
  states?: readonly ConversationState[]
  teamIds?: readonly TeamId[]
  customerId?: UserId
  agentId?: UserId
  updatedBefore?: number
  limit: number
}

/** How many replies a customer's last message allows, as a channel like WeChat counts them. */
export interface ReplyWindow {
  lastInboundAt: number
  repliesUsed: number
}

/** A message waiting for a recipient who was away when it was sent. */
export interface OfflineEntry {
  conversationId: ConversationId
  seq: number
  enqueuedAt: number
}

/** Teams and the staff who work in them. */
export interface StaffRepository {
  upsertTeam(team: TeamRecord): Promise<void>
  listTeams(): Promise<TeamRecord[]>

  createStaff(staff: Omit<StaffRecord, 'active'>): Promise<void>
  updateStaff(id: UserId, change: StaffChange): Promise<void>
  findStaffByLogin(login: string): Promise<StaffRecord | undefined>
  getStaff(id: UserId): Promise<StaffRecord | undefined>
  listStaff(): Promise<StaffRecord[]>
}

/** Customers as the integrator last vouched for them. */
export interface CustomerRepository {
  upsertCustomer(customer: CustomerRecord, at: number): Promise<void>
  getCustomer(id: UserId): Promise<CustomerRecord | undefined>
}

/** Conversations and what belongs to one: its messages, read marks and handover notes. */
export interface ConversationRepository {
  createConversation(conversation: NewConversation): Promise<Conversation>
  getConversation(id: ConversationId): Promise<Conversation | undefined>
  updateConversation(id: ConversationId, patch: ConversationPatch): Promise<Conversation>
  listConversations(query: ConversationQuery): Promise<Conversation[]>

  /** Stores a message once per `cid`, giving it the conversation's next `seq`. */
  appendMessage(message: NewMessage): Promise<AppendResult>
  /**
   * `appendMessage`, only if `admits` the conversation as it stands under the lock that gives the
   * seq (a change to it waits for the append, or the append for the change): `undefined` when it
   * does not. A message stored under its `cid` already is found whatever `admits` says; what
   * `admits` throws (a refusal) fails the append, and nothing is stored.
   */
  appendMessageWhile(message: NewMessage, admits: Admits): Promise<AppendedWhile | undefined>
  /** Messages with `seq` above `afterSeq`, oldest first. */
  listMessagesAfter(conversationId: ConversationId, afterSeq: number, limit: number): Promise<Message[]>
  /** The `limit` messages just before `beforeSeq`, oldest first: one page of history. */
  listMessagesBefore(conversationId: ConversationId, beforeSeq: number, limit: number): Promise<Message[]>

  /** Raises a reader's read mark; never lowers it. */
  markRead(conversationId: ConversationId, userId: UserId, seq: number): Promise<void>
  readMarks(conversationId: ConversationId): Promise<Map<UserId, number>>

  /** Keeps an agent's note to whoever takes the conversation next. */
  addHandoverNote(conversationId: ConversationId, note: HandoverNote): Promise<void>
  /** A conversation's handover notes, oldest first. */
  listHandoverNotes(conversationId: ConversationId): Promise<HandoverNote[]>
}

/** Getting messages to people and channels: the offline queue, reply windows, upstream event ids. */
export interface DeliveryRepository {
  enqueueOffline(recipientId: UserId, entry: OfflineEntry): Promise<void>
  /** Removes and returns what waits for a recipient, oldest first. */
  takeOffline(recipientId: UserId, limit: number): Promise<OfflineEntry[]>
  /** Drops offline entries older than `olderThan`; returns how many. */
  purgeOffline(olderThan: number): Promise<number>

  /** A channel's reply window (WeChat): opened again, with no replies used, by each customer message. */
  openReplyWindow(customerId: UserId, at: number): Promise<void>
  replyWindow(customerId: UserId): Promise<ReplyWindow | undefined>
  /** Takes one reply from the window if it is open and not used up; false otherwise. */
  takeReply(customerId: UserId, openedAfter: number, limit: number): Promise<boolean>

  /** Records an upstream event id (LiveKit, WeChat) once it is handled; false when it was already. */
  recordWebhookEvent(id: string, at: number): Promise<boolean>
  /** Whether an upstream event was handled before (its redelivery is then ignored). */
  hasWebhookEvent(id: string): Promise<boolean>
  /** Forgets upstream event ids recorded before `olderThan`; returns how many. */
  purgeWebhookEvents(olderThan: number): Promise<number>

  /**
   * An upstream API's access token (WeChat's), one per name for every node: each refresh makes
   * the platform retire the token before, so nodes share one instead of each fetching its own.
   */
  readUpstreamToken(name: string): Promise<UpstreamToken | undefined>
  saveUpstreamToken(name: string, token: UpstreamToken): Promise<void>
  /** Forgets the token if it is still `value` (the platform said it is stale), not a newer one. */
  forgetUpstreamToken(name: string, value: string): Promise<void>
}

export interface UpstreamToken {
  value: string
  expiresAt: number
}

/** Agents' canned replies. */
export interface CannedReplyRepository {
  /** Saves a canned reply (a team's or one person's). */
  saveCannedReply(reply: CannedReply, at: number): Promise<void>
  /** A person's own canned replies and their teams', by name. */
  listCannedReplies(ownerId: UserId, teamIds: readonly TeamId[]): Promise<CannedReply[]>
  getCannedReply(id: string): Promise<CannedReply | undefined>
  deleteCannedReply(id: string): Promise<void>
}

/** An image or voice note someone uploaded, as stored: every node serves what any node took. */
export interface StoredMedia {
  /** 128 random bits and the format's extension: the URL's capability. */
  name: string
  mime: string
  bytes: Uint8Array
  uploadedBy: UserId
  uploadedAt: number
}

/** Uploaded files. */
export interface MediaRepository {
  /** Keeps a file under its name, which is never reused. */
  saveMedia(media: StoredMedia): Promise<void>
  readMedia(name: string): Promise<StoredMedia | undefined>
}

/** What supervisors watch: the live figures' buckets and the alerts raised on them. */
export interface MonitoringRepository {
  /**
   * Adds to the live figures' buckets (sums and counts add up, the max is the larger), so nodes that
   * write one bucket each add what they saw; forgets buckets before `forgetBefore`.
   */
  addLiveFigures(rows: readonly LiveFigureRow[], forgetBefore: number): Promise<void>
  /** Live figures of the buckets from `since` on. */
  listLiveFigures(since: number): Promise<LiveFigureRow[]>

  /** Stores a raised alert (once per id). */
  saveAlert(alert: Alert): Promise<void>
  getAlert(id: string): Promise<Alert | undefined>
  /** The newest alerts about these teams or the whole service, newest first. */
  listAlerts(teamIds: readonly TeamId[], limit: number): Promise<Alert[]>
  /** Marks an alert acknowledged (the first acknowledgement stands); undefined for an unknown id. */
  acknowledgeAlert(id: string, by: UserId, at: number): Promise<Alert | undefined>

  /**
   * Takes an alert condition (a threshold broken for a team, an angry customer) for `alertId`:
   * true the first time while it holds, at any node; false while it is taken.
   */
  claimAlertCondition(condition: string, alertId: string, at: number): Promise<boolean>
  /** The condition no longer holds: the next time it does, it raises a new alert. */
  clearAlertCondition(condition: string): Promise<void>
  /** Forgets conditions taken before `olderThan` (an angry customer's never clears); how many. */
  purgeAlertConditions(olderThan: number): Promise<number>
  /** A watched figure's learnt baseline, and when it last observed it. */
  readAlertBaseline(key: string): Promise<AlertBaseline | undefined>
  saveAlertBaseline(key: string, baseline: AlertBaseline): Promise<void>
}

/** An anomaly detector's baseline as kept between observations (`EwmaBaseline.state`). */
export interface AlertBaseline extends EwmaState {
  /** The time (a sample's, or an ended bucket's start) of the last value observed. */
  observedAt: number
}

/** The knowledge base's entries and how often each helped. */
export interface KnowledgeRepository {
  /** Every knowledge entry, whatever its state, by id. */
  listKnowledge(): Promise<KnowledgeRecord[]>
  /** Stores entries, new or changed, all in one transaction: all of them or none. */
  saveKnowledge(records: readonly KnowledgeRecord[]): Promise<void>
  /** Adds one use to an entry's counters. */
  countKnowledgeUse(entryId: string, use: KnowledgeUse, at: number): Promise<void>
  listKnowledgeUsage(): Promise<KnowledgeUsage[]>
}

/** Emergency playbooks switched on, and the proactive offers made. */
export interface PlaybookRepository {
  /**
   * Stores an emergency playbook's activation, new or changed (switched off). Its `boosted` is not
   * taken from the record: each boost is its own row (`boostForPlaybook`), however many nodes boost.
   */
  savePlaybookActivation(activation: PlaybookActivation): Promise<void>
  /** The latest activations, newest first, each with the conversations it boosted. */
  listPlaybookActivations(limit: number): Promise<PlaybookActivation[]>
  /** Records that an activation moved a conversation up: true the first time, cluster-wide. */
  boostForPlaybook(activationId: string, conversationId: ConversationId, at: number): Promise<boolean>
  /** The conversations an activation moved up, in the order it moved them. */
  listPlaybookBoosts(activationId: string): Promise<ConversationId[]>

  /**
   * Takes the one offer of help a proactive rule may make a customer on a service day: true the
   * first time, false ever after (also when two servers ask at once).
   */
  claimProactiveOffer(customerId: UserId, ruleId: string, day: string, at: number): Promise<boolean>
  /** Keeps a shop's behaviour event: true the first time its id is seen for the customer. */
  recordBehaviourEvent(customerId: UserId, event: BehaviourEvent): Promise<boolean>
  /** The customer's latest `limit` events from `since` on, oldest first. */
  listBehaviourEvents(customerId: UserId, since: number, limit: number): Promise<BehaviourEvent[]>
  /** Forgets events from before `olderThan`; how many. */
  purgeBehaviourEvents(olderThan: number): Promise<number>
}

/**
 * Everything the server keeps, one interface per aggregate: a part of the server names the ones it
 * uses. Two implementations (SQLite embedded, PostgreSQL for a cluster) share every statement but
 * the few a dialect decides; methods are async so a networked database fits the same shape.
 */
export interface Repository
  extends StaffRepository,
    CustomerRepository,
    ConversationRepository,
    DeliveryRepository,
    CannedReplyRepository,
    MonitoringRepository,
    KnowledgeRepository,
    PlaybookRepository,
    MediaRepository {
  /** Identifies this store's lifetime: it changes when the data is reset, so old cursors are void. */
  epoch(): Promise<string>
  close(): Promise<void>
}
