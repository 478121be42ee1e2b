import {
  BUCKET_MS,
  type Clock,
  type Conversation,
  type Message,
  MessageKind,
  QualityLedger,
  type RoutingConfig,
  type Tally,
} from '@kefu/shared'
import type { DeliveryLog } from '../ports/DeliveryLog'
import type { RoutingState } from '../ports/RoutingState'
import { wholeHistory } from '../store/history'
import type { Repository } from '../store/Repository'

/** The ledger keeps a week and a day: a week for reopens to reach FCR, a day for the longest tile. */
export const LIVE_RETENTION_MS = 8 * 24 * 3600_000
/** What routing looked like at one moment. */
export interface LiveSample {
  at: number
  queueByTeam: Record<string, number>
  /** Per team: its agents online (available, or away but still with conversations)... */
  onlineByTeam: Record<string, number>
  /** ...and of those, the ones busy with at least one conversation. */
  busyByTeam: Record<string, number>
}

/** Who an agent is to the samples. */
export interface AgentSeatInfo {
  teams: readonly string[]
}

interface DeliveryBucket {
  /** Deliveries owed: each of a person's messages, to each recipient reached over kefu3d's sockets. */
  owed: number
  /** Of those, handed to a device of the recipient, with the time it took. */
  latency: Tally
}

const PEOPLE_KINDS: ReadonlySet<string> = new Set([
  MessageKind.Text,
  MessageKind.Image,
  MessageKind.VoiceNote,
])

/**
 * The service's figures as they happen, for the dashboard, alerts and /metrics: the quality ledger
 * fed with every stored message (and warmed from the log at start), samples of the routing queue and
 * agents' load, and message deliveries. One per server; a cluster's nodes each see the messages
 * they write (see the README on running several nodes).
 */
export class LiveQuality implements DeliveryLog {
  readonly ledger: QualityLedger
  private readonly targets: ReadonlyMap<string, number>
  private readonly samples: LiveSample[] = []
  private readonly deliveries = new Map<number, DeliveryBucket>()

  constructor(
    private readonly deps: { repo: Repository; router: RoutingState; routing: RoutingConfig; clock: Clock },
  ) {
    this.targets = new Map(deps.routing.teams.map((team) => [team.id as string, team.answerTargetMs]))
    this.ledger = new QualityLedger({ serviceTargetMs: (teamId) => this.serviceTargetMs(teamId) })
  }

  /** A team's service-level target: its answer target (the strictest for a team not configured). */
  serviceTargetMs(teamId: string | undefined): number {
    return this.targets.get(teamId ?? '') ?? Math.min(...this.targets.values())
  }

  /** Reads back the conversations created within the retention from the log, newest first. */
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
    return recent.length
  }

  /** Subscribed to `message.stored`. */
  record(message: Message): void {
    this.ledger.record(message)
  }

  /** Run every few seconds (`QUALITY_SAMPLE_MS`): the queue per team and how many of each team's online agents are busy. */
  sample(agents: ReadonlyMap<string, AgentSeatInfo>): void {
    const { router, clock } = this.deps
    const perTeam = () => Object.fromEntries(this.deps.routing.teams.map((team) => [team.id as string, 0]))
    const queueByTeam = perTeam()
    const onlineByTeam = perTeam()
    const busyByTeam = perTeam()
    const bump = (counts: Record<string, number>, team: string) => {
      counts[team] = (counts[team] ?? 0) + 1
    }
    for (const entry of router.orderedQueue()) bump(queueByTeam, entry.teamId)
    for (const agentId of router.agentIds()) {
      const status = router.agentStatus(agentId)
      const load = router.load(agentId)
      const agent = agents.get(agentId)
      if (!agent || status === undefined || status === 'offline') continue
      // Away with nothing to do is not working time; away while finishing conversations is.
      if (status === 'away' && load === 0) continue
      for (const team of agent.teams) {
        bump(onlineByTeam, team)
        if (load > 0) bump(busyByTeam, team)
      }
    }
    const at = clock.now()
    this.samples.push({ at, queueByTeam, onlineByTeam, busyByTeam })
    while ((this.samples[0]?.at ?? at) < at - LIVE_RETENTION_MS) this.samples.shift()
    this.forgetBefore(at - LIVE_RETENTION_MS)
  }

  /** Samples taken in [from, to). */
  samplesIn(from: number, to: number): LiveSample[] {
    return this.samples.filter((sample) => sample.at >= from && sample.at < to)
  }

  /**
   * Occupancy of teams' agents over [from, to): the share of sampled online-agent time spent with
   * at least one conversation (an agent in two teams counts in each).
   */
  occupancy(teamIds: readonly string[], from: number, to: number): Tally {
    const tally = { sum: 0, count: 0 }
    for (const sample of this.samplesIn(from, to))
      for (const team of teamIds) {
        tally.sum += sample.busyByTeam[team] ?? 0
        tally.count += sample.onlineByTeam[team] ?? 0
      }
    return tally
  }

  /** A person's message was stored for `recipients` reached over kefu3d's sockets. */
  owed(message: Message, recipients: number): void {
    if (!PEOPLE_KINDS.has(message.kind) || recipients === 0) return
    this.deliveryBucket(message.createdAt).owed += recipients
  }

  /** One recipient's device got the message (now, or when they came back). */
  delivered(message: Message): void {
    if (!PEOPLE_KINDS.has(message.kind)) return
    const latency = this.deliveryBucket(message.createdAt).latency
    latency.sum += Math.max(0, this.deps.clock.now() - message.createdAt)
    latency.count++
  }

  /** Delivery over messages stored in [from, to): the share delivered, and their mean latency. */
  delivery(from: number, to: number): { rate: Tally; latency: Tally } {
    const rate = { sum: 0, count: 0 }
    const latency = { sum: 0, count: 0 }
    for (let bucket = Math.floor(from / BUCKET_MS) * BUCKET_MS; bucket < to; bucket += BUCKET_MS) {
      const found = this.deliveries.get(bucket)
      if (!found) continue
      rate.sum += Math.min(found.owed, found.latency.count)
      rate.count += found.owed
      latency.sum += found.latency.sum
      latency.count += found.latency.count
    }
    return { rate, latency }
  }

  private deliveryBucket(at: number): DeliveryBucket {
    const key = Math.floor(at / BUCKET_MS) * BUCKET_MS
    let bucket = this.deliveries.get(key)
    if (!bucket) {
      bucket = { owed: 0, latency: { sum: 0, count: 0 } }
      this.deliveries.set(key, bucket)
    }
    return bucket
  }

  private forgetBefore(at: number): void {
    this.ledger.forget(at)
    for (const key of this.deliveries.keys()) if (key < at) this.deliveries.delete(key)
  }
}
