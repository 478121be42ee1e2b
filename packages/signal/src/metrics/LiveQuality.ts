import {
  BUCKET_MS,
  type Clock,
  type Conversation,
  type ConversationEvent,
  EMOTIONS,
  type Emotion,
  type Message,
  MessageKind,
  QualityLedger,
  type RoutingConfig,
  type Tally,
} from '@kefu/shared'
import type { DomainEventMap } from '../events/DomainEvents'
import type { DeliveryLog } from '../ports/DeliveryLog'
import type { RoutingState } from '../ports/RoutingState'
import { wholeHistory } from '../store/history'
import type { LiveFigureRow, Repository } from '../store/Repository'

/** The ledger keeps a week and a day: a week for reopens to reach FCR, a day for the longest tile. */
export const LIVE_RETENTION_MS = 8 * 24 * 3600_000

/** What routing looks like now: who waits in each team. */
export interface LiveSample {
  at: number
  queueByTeam: Record<string, number>
}

/**
 * What one node of a cluster tells the others, so that every node's figures are the cluster's: a
 * message that moved its ledger, the figures it just stored, the queue it sampled.
 */
export type QualityChange =
  | { kind: 'message'; message: Message; event?: ConversationEvent | undefined }
  | { kind: 'figures'; rows: LiveFigureRow[] }
  | { kind: 'sample'; sample: LiveSample }

/** Who an agent is to the samples. */
export interface AgentSeatInfo {
  teams: readonly string[]
}

/**
 * What the message log does not hold, kept per five-minute bucket and stored (`live_figures`) so
 * a restart loses nothing: per team, the queue's length (sum, samples, longest) and occupancy
 * (busy agent-samples of online agent-samples) and the emotion customers wrote with (messages
 * per emotion, by when they were written); for the service, deliveries owed and handed over (with
 * their latency). One row per bucket and figure, not one per delivery: a row per message
 * delivered would double what storing a message costs.
 */
type LiveFigure = 'queue' | 'occupancy' | 'delivery.owed' | 'delivery.latency' | `emotion.${Emotion}`
interface Aggregate {
  sum: number
  count: number
  max: number
}

const PEOPLE_KINDS: ReadonlySet<string> = new Set([
  MessageKind.Text,
  MessageKind.Image,
  MessageKind.VoiceNote,
])
const SERVICE = '*'
const keyOf = (figure: LiveFigure, scope: string) => `${figure}|${scope}`
const bucketOf = (at: number) => Math.floor(at / BUCKET_MS) * BUCKET_MS

/**
 * The service's figures as they happen, for the dashboard, alerts and /metrics: the quality ledger
 * fed with every stored message (and warmed from the log at start), the routing queue and agents'
 * load sampled, and message deliveries counted, both kept per bucket and stored. One per server; a
 * cluster's nodes `share` what changed their figures and `apply` what the others shared, so each
 * node's dashboard, /metrics and alerts read the whole cluster.
 */
export class LiveQuality implements DeliveryLog {
  readonly ledger: QualityLedger
  private readonly targets: ReadonlyMap<string, number>
  private readonly aggregates = new Map<number, Map<string, Aggregate>>()
  /**
   * What was added to each bucket since it was last stored. The store adds it to what it holds, so
   * the nodes of a cluster writing the same bucket add up instead of the last writer winning.
   */
  private unsaved = new Map<number, Map<string, Aggregate>>()
  private current: LiveSample | undefined
  private forgottenBefore = 0

  constructor(
    private readonly deps: {
      repo: Repository
      router: RoutingState
      routing: RoutingConfig
      clock: Clock
      /** Tells the cluster's other nodes (a single node's bus has nobody else to hear it). */
      share?: ((change: QualityChange) => void) | undefined
    },
  ) {
    this.targets = new Map(deps.routing.teams.map((team) => [team.id as string, team.answerTargetMs]))
    this.ledger = new QualityLedger({ serviceTargetMs: (teamId) => this.serviceTargetMs(teamId) })
  }

  /** A team's service-level target: its answer target (the strictest for a team not configured). */
  serviceTargetMs(teamId: string | undefined): number {
    return this.targets.get(teamId ?? '') ?? Math.min(...this.targets.values())
  }

  /**
   * Reads back what the retention covers: the conversations created within it, from the log, and
   * the stored queue, occupancy and delivery buckets.
   */
  async warm(): Promise<number> {
    const since = this.deps.clock.now() - LIVE_RETENTION_MS
    const recent: Conversation[] = []
    for (let before: number | undefined; ; ) {
      const page = await this.deps.repo.listConversations({
        ...(before === undefined ? {} : { updatedBefore: before }),
        limit: 500,
      })
      recent.push(...page.filter((conversation) => conversation.createdAt >= since))
      const last = page.at(-1)
      // Updated before `since` means created before it too: nothing older can be in range.
      if (!last || page.length < 500 || last.updatedAt < since) break
      before = last.updatedAt
    }
    for (const conversation of recent)
      for (const message of await wholeHistory(this.deps.repo, conversation.id)) this.ledger.record(message)
    for (const row of await this.deps.repo.listLiveFigures(since))
      bucketIn(this.aggregates, row.bucket).set(keyOf(row.figure as LiveFigure, row.scope), {
        sum: row.sum,
        count: row.count,
        max: row.max,
      })
    return recent.length
  }

  /** Subscribed to `message.stored`: the ledger, and the emotion a customer's words were read with. */
  record({ conversation, message, emotion, event }: DomainEventMap['message.stored']): void {
    // What people wrote stays with the conversation: the other nodes' ledgers need only who and when.
    if (this.ledger.record(message, event))
      this.deps.share?.({ kind: 'message', message: event ? message : { ...message, body: '' }, event })
    if (emotion) this.add(message.createdAt, `emotion.${emotion.emotion}`, conversation.teamId, 1, 1)
  }

  /** Takes in what another node of the cluster shared; that node stores its own figures. */
  apply(change: QualityChange): void {
    if (change.kind === 'message') this.ledger.record(change.message, change.event)
    else if (change.kind === 'sample') this.current = change.sample
    else
      for (const { bucket, figure, scope, sum, count, max } of change.rows)
        addTo(bucketIn(this.aggregates, bucket), keyOf(figure as LiveFigure, scope), { sum, count, max })
  }

  /** How many customer messages of these teams were written with each emotion in [from, to). */
  emotions(teamIds: readonly string[], from: number, to: number): Record<Emotion, number> {
    const counts = {} as Record<Emotion, number>
    for (const emotion of EMOTIONS)
      counts[emotion] = this.total(
        teamIds.map((team) => keyOf(`emotion.${emotion}`, team)),
        from,
        to,
      ).count
    return counts
  }

  /**
   * Run every few seconds (`QUALITY_SAMPLE_MS`): the queue per team and how many of each team's
   * online agents are busy, then the changed buckets are stored.
   */
  async sample(agents: ReadonlyMap<string, AgentSeatInfo>): Promise<void> {
    const { router, clock } = this.deps
    const at = clock.now()
    const perTeam = () => Object.fromEntries(this.deps.routing.teams.map((team) => [team.id as string, 0]))
    const queueByTeam = perTeam()
    const onlineByTeam = perTeam()
    const busyByTeam = perTeam()
    const bump = (counts: Record<string, number>, team: string) => {
      counts[team] = (counts[team] ?? 0) + 1
    }
    for (const entry of await router.orderedQueue()) bump(queueByTeam, entry.teamId)
    for (const { id, status, load } of await router.agents()) {
      const agent = agents.get(id)
      if (!agent || status === 'offline') continue
      // Away with nothing to do is not working time; away while finishing conversations is.
      if (status === 'away' && load === 0) continue
      for (const team of agent.teams) {
        bump(onlineByTeam, team)
        if (load > 0) bump(busyByTeam, team)
      }
    }
    for (const team of Object.keys(queueByTeam)) {
      this.add(at, 'queue', team, queueByTeam[team] ?? 0, 1)
      this.add(at, 'occupancy', team, busyByTeam[team] ?? 0, onlineByTeam[team] ?? 0)
    }
    this.current = { at, queueByTeam }
    this.deps.share?.({ kind: 'sample', sample: this.current })
    await this.flush()
  }

  /**
   * Run on every node every few seconds (the sample runs at one node of a cluster only): forgets
   * what fell out of the retention and stores, and shares, what was added since the last time.
   */
  async flush(): Promise<void> {
    // Forgetting walks every conversation kept: once a bucket, when there is a bucket to forget.
    const horizon = bucketOf(this.deps.clock.now() - LIVE_RETENTION_MS)
    if (horizon > this.forgottenBefore) {
      this.forgottenBefore = horizon
      this.forgetBefore(horizon)
    }
    await this.save()
  }

  /** The latest sample of the queue, for alerts. */
  latest(): LiveSample | undefined {
    return this.current
  }

  /** A team's longest sampled queue in [from, to); undefined without a sample. */
  longestQueue(teamId: string, from: number, to: number): number | undefined {
    let longest: number | undefined
    for (let bucket = bucketOf(from); bucket < to; bucket += BUCKET_MS) {
      const found = this.aggregates.get(bucket)?.get(keyOf('queue', teamId))
      if (found) longest = Math.max(longest ?? 0, found.max)
    }
    return longest
  }

  /**
   * Occupancy of teams' agents over [from, to): the share of sampled online-agent time spent with
   * at least one conversation (an agent in two teams counts in each).
   */
  occupancy(teamIds: readonly string[], from: number, to: number): Tally {
    return this.total(
      teamIds.map((team) => keyOf('occupancy', team)),
      from,
      to,
    )
  }

  /** A person's message was stored for `recipients` reached over kefu3d's sockets. */
  owed(message: Message, recipients: number): void {
    if (!PEOPLE_KINDS.has(message.kind) || recipients === 0) return
    this.add(message.createdAt, 'delivery.owed', SERVICE, recipients, recipients)
  }

  /** One recipient's device got the message (now, or when they came back). */
  delivered(message: Message): void {
    if (!PEOPLE_KINDS.has(message.kind)) return
    this.add(
      message.createdAt,
      'delivery.latency',
      SERVICE,
      Math.max(0, this.deps.clock.now() - message.createdAt),
      1,
    )
  }

  /** Delivery over messages stored in [from, to): the share delivered, and their mean latency. */
  delivery(from: number, to: number): { rate: Tally; latency: Tally } {
    const owed = this.total([keyOf('delivery.owed', SERVICE)], from, to)
    const latency = this.total([keyOf('delivery.latency', SERVICE)], from, to)
    return { rate: { sum: Math.min(owed.count, latency.count), count: owed.count }, latency }
  }

  /** Stores what was added since the last call; kept for the next call if the store fails. */
  async save(): Promise<void> {
    const added = this.unsaved
    this.unsaved = new Map()
    const rows: LiveFigureRow[] = []
    for (const [bucket, byKey] of added)
      for (const [key, { sum, count, max }] of byKey) {
        const [figure = '', scope = ''] = key.split('|')
        rows.push({ bucket, figure, scope, sum, count, max })
      }
    try {
      await this.deps.repo.addLiveFigures(rows, bucketOf(this.deps.clock.now() - LIVE_RETENTION_MS))
    } catch (error) {
      for (const [bucket, byKey] of added)
        for (const [key, aggregate] of byKey) addTo(bucketIn(this.unsaved, bucket), key, aggregate)
      throw error
    }
    // Shared once stored: a save that failed is retried, and what it held must not arrive twice.
    if (rows.length > 0) this.deps.share?.({ kind: 'figures', rows })
  }

  private add(at: number, figure: LiveFigure, scope: string, sum: number, count: number): void {
    const bucket = bucketOf(at)
    const key = keyOf(figure, scope)
    const aggregate = { sum, count, max: sum }
    addTo(bucketIn(this.aggregates, bucket), key, aggregate)
    addTo(bucketIn(this.unsaved, bucket), key, aggregate)
  }

  private total(keys: readonly string[], from: number, to: number): Tally {
    const tally = { sum: 0, count: 0 }
    for (let bucket = bucketOf(from); bucket < to; bucket += BUCKET_MS) {
      const found = this.aggregates.get(bucket)
      if (!found) continue
      for (const key of keys) {
        const aggregate = found.get(key)
        if (!aggregate) continue
        tally.sum += aggregate.sum
        tally.count += aggregate.count
      }
    }
    return tally
  }

  private forgetBefore(at: number): void {
    this.ledger.forget(at)
    for (const bucket of this.aggregates.keys()) if (bucket < bucketOf(at)) this.aggregates.delete(bucket)
  }
}

function bucketIn(buckets: Map<number, Map<string, Aggregate>>, bucket: number): Map<string, Aggregate> {
  let byKey = buckets.get(bucket)
  if (!byKey) {
    byKey = new Map()
    buckets.set(bucket, byKey)
  }
  return byKey
}

function addTo(byKey: Map<string, Aggregate>, key: string, { sum, count, max }: Aggregate): void {
  const found = byKey.get(key)
  byKey.set(
    key,
    found
      ? { sum: found.sum + sum, count: found.count + count, max: Math.max(found.max, max) }
      : { sum, count, max },
  )
}
