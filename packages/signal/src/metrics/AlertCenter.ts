import {
  type Alert,
  type AlertRules,
  ANGER_THRESHOLD,
  type AnomalyFigure,
  BUCKET_MS,
  breaches,
  type Cancel,
  type Clock,
  type Conversation,
  type DashboardFigure,
  EwmaBaseline,
  type IdSource,
  KefuError,
  type Logger,
  meanOf,
  type RoutingConfig,
  SHARE_FIGURES,
  type Tally,
  type TeamId,
  type UserId,
} from '@kefu/shared'
import { signWebhook } from '../auth/webhookSignature'
import type { AlertWebhook } from '../config'
import type { MonitoringRepository } from '../store/Repository'
import type { LiveQuality } from './LiveQuality'

export interface AlertCenterDeps {
  repo: MonitoringRepository
  live: LiveQuality
  routing: RoutingConfig
  rules: AlertRules
  clock: Clock
  ids: IdSource
  logger: Logger
  webhook?: AlertWebhook | undefined
}

/** Webhook attempts: the first at once, then after each of these waits. */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000]
const LISTED_ALERTS = 50
/** The smallest spread taken as real for each watched figure (see `EwmaBaseline`). */
const ANOMALY_FLOOR: Record<AnomalyFigure, number> = { queue: 2, abandonment: 0.05, csat: 0.05 }

/**
 * Watches the live figures and raises alerts: thresholds per figure and team, and breaks from the
 * recent baseline (EWMA z-score) of the queue, abandonment and CSAT. An alert is raised once while
 * its condition holds (a new one after it clears), stored, shown on dashboards, and posted to the
 * webhook with an HMAC signature, retried with backoff under the same alert id so a receiver can
 * drop repeats. Which conditions hold and what each baseline has learnt are kept in the store, so a
 * restart neither raises again what was raised nor starts the baselines' warm-up over, and another
 * node can take the evaluation over.
 */
export class AlertCenter {
  private readonly retries = new Set<Cancel>()
  private readonly sending = new Set<Promise<void>>()

  constructor(private readonly deps: AlertCenterDeps) {}

  /** Run after each sample: every rule against the latest figures. */
  async check(): Promise<void> {
    const now = this.deps.clock.now()
    for (const team of this.deps.routing.teams) {
      for (const rule of this.deps.rules.thresholds) {
        if (rule.teamId !== undefined && rule.teamId !== team.id) continue
        const tally = this.figureOf(rule.figure, team.id, now - rule.windowMs, now + 1)
        const value = meanOf(tally)
        const breached = value !== undefined && tally.count >= rule.minCount && breaches(rule, value)
        const limit = rule.above ?? rule.below ?? 0
        const direction = rule.above !== undefined ? 'above' : 'below'
        await this.holds(`threshold:${rule.figure}:${direction}:${limit}:${team.id}`, breached, () => ({
          kind: 'threshold',
          figure: rule.figure,
          teamId: team.id,
          value: value ?? 0,
          limit,
          message: `${team.name}: ${rule.figure} ${show(rule.figure, value ?? 0)} is ${direction} ${show(rule.figure, limit)}`,
        }))
      }
      await this.checkQueue(team.id, team.name)
    }
    await this.checkBuckets(now)
  }

  /** The alerts a supervisor of these teams sees, newest first. */
  recent(teamIds: readonly TeamId[]): Promise<Alert[]> {
    return this.deps.repo.listAlerts(teamIds, LISTED_ALERTS)
  }

  /** A supervisor acknowledges an alert about one of their teams (or the whole service). */
  async acknowledge(teamIds: readonly TeamId[], id: string, by: UserId): Promise<Alert> {
    const alert = await this.deps.repo.getAlert(id)
    // Another team's alert is as unknown as a missing one.
    const isVisible = alert !== undefined && (alert.teamId === null || teamIds.includes(alert.teamId))
    const acknowledged = isVisible
      ? await this.deps.repo.acknowledgeAlert(id, by, this.deps.clock.now())
      : undefined
    if (!acknowledged) throw KefuError.notFound('Alert')
    return acknowledged
  }

  /**
   * A customer is angry: the supervisors of the conversation's team see it at once (and the
   * webhook hears of it), once per conversation.
   */
  async angryCustomer(conversation: Conversation, intensity: number): Promise<void> {
    await this.holds(`anger:${conversation.id}`, true, () => ({
      kind: 'emotion',
      figure: 'anger',
      teamId: conversation.teamId,
      conversationId: conversation.id,
      value: intensity,
      limit: ANGER_THRESHOLD,
      message: `${conversation.customerName} is angry (${Math.round(intensity * 100)} %): moved up the queue`,
    }))
  }

  /** Stops retrying and waits for posts under way. */
  async stop(): Promise<void> {
    for (const cancel of this.retries) cancel()
    this.retries.clear()
    await Promise.allSettled([...this.sending])
  }

  private figureOf(figure: DashboardFigure, teamId: string, from: number, to: number): Tally {
    const { live } = this.deps
    if (figure === 'occupancy') return live.occupancy([teamId], from, to)
    if (figure === 'delivery') return live.delivery(from, to).rate
    return live.ledger.figures(`team:${teamId}`, from, to)[figure]
  }

  private async checkQueue(teamId: TeamId, teamName: string): Promise<void> {
    const latest = this.deps.live.latest()
    if (!latest) return
    const waiting = latest.queueByTeam[teamId] ?? 0
    await this.anomaly('queue', teamId, teamName, waiting, 1)
  }

  // Abandonment and CSAT move per five-minute bucket: each bucket is observed once it has ended.
  private async checkBuckets(now: number): Promise<void> {
    const ended = Math.floor(now / BUCKET_MS) * BUCKET_MS - BUCKET_MS
    for (const team of this.deps.routing.teams) {
      const figures = this.deps.live.ledger.figures(`team:${team.id}`, ended, ended + BUCKET_MS)
      const abandonment = meanOf(figures.abandonment)
      if (abandonment !== undefined)
        await this.anomaly('abandonment', team.id, team.name, abandonment, 1, ended)
      const csat = meanOf(figures.csat)
      if (csat !== undefined) await this.anomaly('csat', team.id, team.name, csat, -1, ended)
    }
  }

  /**
   * `worse` is the direction that is bad: up for the queue and abandonment, down for CSAT. A value
   * is observed once per `observedAt` (an ended bucket is seen by many checks).
   */
  private async anomaly(
    figure: AnomalyFigure,
    teamId: TeamId,
    teamName: string,
    value: number,
    worse: 1 | -1,
    observedAt = this.deps.clock.now(),
  ): Promise<void> {
    const key = `${figure}:${teamId}`
    const { alpha, warmup, zScore } = this.deps.rules.anomaly
    const learnt = await this.deps.repo.readAlertBaseline(key)
    if (learnt && learnt.observedAt >= observedAt) return
    const baseline = new EwmaBaseline(alpha, warmup, ANOMALY_FLOOR[figure], learnt)
    const before = baseline.baseline
    const z = baseline.observe(value)
    await this.deps.repo.saveAlertBaseline(key, { ...baseline.state, observedAt })
    const breached = z !== undefined && worse * z >= zScore
    await this.holds(`anomaly:${key}`, breached, () => ({
      kind: 'anomaly',
      figure,
      teamId,
      value,
      limit: before,
      message: `${teamName}: ${figure} ${show(figure, value)} breaks from its baseline ${show(figure, before)} (z ${z?.toFixed(1)})`,
    }))
  }

  private async holds(
    condition: string,
    breached: boolean,
    draft: () => Pick<Alert, 'kind' | 'figure' | 'teamId' | 'value' | 'limit' | 'message' | 'conversationId'>,
  ): Promise<void> {
    if (!breached) return this.deps.repo.clearAlertCondition(condition)
    const alert: Alert = {
      id: `al_${this.deps.ids.newId()}`,
      ...draft(),
      raisedAt: this.deps.clock.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
    }
    if (!(await this.deps.repo.claimAlertCondition(condition, alert.id, alert.raisedAt))) return
    await this.deps.repo.saveAlert(alert)
    this.deps.logger.warn({ alert }, 'alert raised')
    this.post(alert, 0)
  }

  private post(alert: Alert, attempt: number): void {
    const webhook = this.deps.webhook
    if (!webhook) return
    const sent = this.send(webhook, alert).then(
      () => undefined,
      (error: unknown) => {
        const delay = RETRY_DELAYS_MS[attempt]
        if (delay === undefined) {
          this.deps.logger.error({ err: error, alertId: alert.id }, 'alert webhook gave up')
          return
        }
        const cancel = this.deps.clock.setTimeout(() => {
          this.retries.delete(cancel)
          this.post(alert, attempt + 1)
        }, delay)
        this.retries.add(cancel)
      },
    )
    this.sending.add(sent)
    void sent.finally(() => this.sending.delete(sent))
  }

  private async send(webhook: AlertWebhook, alert: Alert): Promise<void> {
    const body = JSON.stringify({ alert })
    const timestamp = String(this.deps.clock.now())
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-kefu-alert-id': alert.id,
        'x-kefu-timestamp': timestamp,
        'x-kefu-signature': signWebhook(webhook.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(5000),
    })
    if (!response.ok) throw new Error(`alert webhook answered ${response.status}`)
  }
}

function show(figure: string, value: number): string {
  if (SHARE_FIGURES.has(figure as DashboardFigure)) return `${(value * 100).toFixed(0)} %`
  if (figure === 'queue') return `${value}`
  return `${(value / 1000).toFixed(1)} s`
}
