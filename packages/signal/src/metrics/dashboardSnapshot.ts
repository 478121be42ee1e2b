import {
  type Alert,
  addInto,
  BUCKET_MS,
  DASHBOARD_FIGURES,
  type DashboardFigure,
  type DashboardSnapshot,
  emptyFigures,
  type FigureValue,
  meanOf,
  type QualityFigures,
  type Tally,
  type TeamId,
} from '@kefu/shared'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository, StaffRecord } from '../store/Repository'
import type { LiveQuality } from './LiveQuality'

/** A sparkline's points per window, and a time series'. */
const SPARK_POINTS = 12
const SERIES_POINTS = 24
/** Neutral is most of what anyone writes: the chart shows the feelings, as shares of all messages. */
const SHOWN_EMOTIONS = ['anger', 'anxiety', 'sadness', 'satisfaction'] as const

export interface SnapshotDeps {
  live: LiveQuality
  repo: Repository
  router: RoutingState
  /** The alerts a supervisor of these teams should see (the newest first). */
  alertsFor(teamIds: readonly TeamId[]): Promise<Alert[]>
}

/** Whose figures and over what window: a supervisor's teams, e.g. the last hour. */
export interface SnapshotScope {
  teamIds: readonly TeamId[]
  windowMs: number
  now: number
}

/**
 * The dashboard of a supervisor's teams: every figure of the window against the window before, with
 * sparklines, per team and per agent, and the queue and figures over time. Everything comes from
 * the live ledger and samples, so building one is cheap enough to push every second.
 */
export async function dashboardSnapshot(
  deps: SnapshotDeps,
  scope: SnapshotScope,
): Promise<DashboardSnapshot> {
  const { live, router } = deps
  const { teamIds, windowMs, now } = scope
  const to = now + 1
  const from = to - windowMs
  const teamSet = new Set<string>(teamIds)
  const [teams, staff] = await Promise.all([deps.repo.listTeams(), deps.repo.listStaff()])
  const shown = teams.filter((team) => teamSet.has(team.id))

  const qualityOf = (ids: readonly string[], start: number, end: number): QualityFigures => {
    const total = emptyFigures()
    for (const id of ids) addInto(total, live.ledger.figures(`team:${id}`, start, end))
    return total
  }
  const figuresOf = (ids: readonly string[], start: number, end: number): Record<DashboardFigure, Tally> => {
    const quality = qualityOf(ids, start, end)
    return {
      ...quality,
      occupancy: live.occupancy(ids, start, end),
      delivery: live.delivery(start, end).rate,
    }
  }
  const figureValue = (tally: Tally): FigureValue => ({ value: meanOf(tally) ?? null, count: tally.count })
  const valuesOf = (tallies: Record<DashboardFigure, Tally>) =>
    Object.fromEntries(DASHBOARD_FIGURES.map((name) => [name, figureValue(tallies[name])])) as Record<
      DashboardFigure,
      FigureValue
    >
  // The last `points` steps, the newest holding now; each a whole number of buckets.
  const steps = (points: number) => {
    const step = Math.max(BUCKET_MS, Math.ceil(windowMs / points / BUCKET_MS) * BUCKET_MS)
    const newest = Math.floor(now / BUCKET_MS) * BUCKET_MS
    const starts = Array.from({ length: points }, (_, index) => newest - (points - 1 - index) * step)
    return { step, starts }
  }

  const ids = shown.map((team) => team.id as string)
  const current = figuresOf(ids, from, to)
  const previous = figuresOf(ids, from - windowMs, from)
  const spark = steps(SPARK_POINTS)
  const sparkFigures = spark.starts.map((at) => figuresOf(ids, at, at + spark.step))
  const tiles = Object.fromEntries(
    DASHBOARD_FIGURES.map((name) => [
      name,
      {
        now: figureValue(current[name]),
        previous: figureValue(previous[name]),
        spark: sparkFigures.map((figures) => meanOf(figures[name]) ?? null),
      },
    ]),
  ) as DashboardSnapshot['tiles']

  // As many points as the window has buckets, up to SERIES_POINTS: a time series covers the window.
  const series = steps(Math.min(SERIES_POINTS, Math.max(2, Math.round(windowMs / BUCKET_MS))))
  // The longest queue of the step: a surge shows, it is not averaged away.
  const queueAt = (team: string, at: number) => live.longestQueue(team, at, at + series.step) ?? null
  const seriesOf = (team: string, pick: 'frt' | 'serviceLevel' | 'csat') =>
    series.starts.map((at) => meanOf(live.ledger.figures(`team:${team}`, at, at + series.step)[pick]) ?? null)

  // Each emotion's share of what customers wrote in the step; null for a step nobody wrote in.
  const emotionSteps = series.starts.map((at) => live.emotions(ids, at, at + series.step))
  const emotionShare = (emotion: (typeof SHOWN_EMOTIONS)[number]) =>
    emotionSteps.map((counts) => {
      const written = Object.values(counts).reduce((sum, count) => sum + count, 0)
      return written === 0 ? null : counts[emotion] / written
    })

  const waiting: Record<string, number> = {}
  for (const entry of await router.orderedQueue()) waiting[entry.teamId] = (waiting[entry.teamId] ?? 0) + 1
  const routed = new Map((await router.agents()).map((agent) => [agent.id, agent]))

  return {
    at: now,
    windowMs,
    tiles,
    deliveryLatency: figureValue(live.delivery(from, to).latency),
    teams: shown.map((team) => ({
      teamId: team.id,
      name: team.name,
      queue: waiting[team.id] ?? 0,
      figures: valuesOf(figuresOf([team.id], from, to)),
    })),
    agents: agentsOf(staff, teamSet).map((agent) => {
      const own = live.ledger.figures(`agent:${agent.id}`, from, to)
      return {
        agentId: agent.id,
        name: agent.displayName,
        status: routed.get(agent.id)?.status ?? 'offline',
        load: routed.get(agent.id)?.load ?? 0,
        capacity: agent.capacity,
        frt: figureValue(own.frt),
        aht: figureValue(own.aht),
        csat: figureValue(own.csat),
      }
    }),
    series: {
      at: series.starts,
      byTeam: Object.fromEntries(
        ids.map((id) => [
          id,
          {
            frt: seriesOf(id, 'frt'),
            serviceLevel: seriesOf(id, 'serviceLevel'),
            csat: seriesOf(id, 'csat'),
            queue: series.starts.map((at) => queueAt(id, at)),
          },
        ]),
      ),
      emotion: Object.fromEntries(
        SHOWN_EMOTIONS.map((emotion) => [emotion, emotionShare(emotion)]),
      ) as DashboardSnapshot['series']['emotion'],
    },
    alerts: await deps.alertsFor(teamIds),
  }
}

function agentsOf(staff: readonly StaffRecord[], teams: ReadonlySet<string>): StaffRecord[] {
  return staff
    .filter(
      (member) => member.role === 'agent' && member.active && member.teams.some((team) => teams.has(team)),
    )
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
}
