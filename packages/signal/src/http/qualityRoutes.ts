import {
  ChannelSchema,
  type Clock,
  type DashboardSnapshot,
  type Experiment,
  TeamIdSchema,
} from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import type { AlertCenter } from '../metrics/AlertCenter'
import { experimentReport } from '../metrics/experimentReport'
import { LIVE_RETENTION_MS, type LiveQuality } from '../metrics/LiveQuality'
import type { FeedScope } from '../metrics/QualityFeed'
import { liveQualityReport, qualityReport } from '../metrics/qualityReport'
import type { Repository } from '../store/Repository'
import { type Authenticate, authenticateSupervisor, parseRequest, route, teamsAskedFor } from './requests'

const DAY_MS = 24 * 3600_000
const QualityQuery = z.object({
  team: TeamIdSchema.optional(),
  channel: ChannelSchema.optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
  /**
   * `live` (the default) reads the figures kept up to date as messages are stored; `log` recomputes
   * them from the stored histories. Ranges older than the live figures keep, and channel slices of a
   * team, are always recomputed.
   */
  source: z.enum(['live', 'log']).default('live'),
})
const DashboardQuery = z.object({
  windowMs: z.coerce
    .number()
    .int()
    .min(5 * 60_000)
    .max(7 * DAY_MS)
    .default(3600_000),
})

const ExperimentsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(28) })

export interface QualityRouteDeps {
  repo: Repository
  experiments: readonly Experiment[]
  clock: Clock
  authenticate: Authenticate
  live: LiveQuality
  alerts: AlertCenter
  snapshot(scope: FeedScope): Promise<DashboardSnapshot>
}

/** The service's quality figures, dashboard and alerts, for supervisors of the teams asked about. */
export function qualityRoutes(deps: QualityRouteDeps): Router {
  const router = express.Router()
  router.get(
    '/api/quality',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      const query = parseRequest(QualityQuery, request.query)
      const teamIds = teamsAskedFor(session, query.team)
      const now = deps.clock.now()
      const to = query.to ?? now + 1
      const range = { teamIds, from: query.from ?? to - DAY_MS, to }
      const serviceTargetMs = (teamId: string | undefined) => deps.live.serviceTargetMs(teamId)
      const isLive = query.source === 'live' && !query.channel && range.from >= now - LIVE_RETENTION_MS
      response.json(
        isLive
          ? { ...liveQualityReport(deps.live.ledger, { ...range, serviceTargetMs }), source: 'live' }
          : {
              ...(await qualityReport(deps.repo, { ...range, channel: query.channel, serviceTargetMs })),
              source: 'log',
            },
      )
    }),
  )
  router.get(
    '/api/dashboard',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      const { windowMs } = parseRequest(DashboardQuery, request.query)
      response.json(await deps.snapshot({ teamIds: session.teams, windowMs }))
    }),
  )
  router.get(
    '/api/experiments',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      const { days } = parseRequest(ExperimentsQuery, request.query)
      const to = deps.clock.now() + 1
      const from = to - days * DAY_MS
      const experiments = await experimentReport(deps.repo, deps.experiments, {
        teamIds: session.teams,
        from,
        to,
      })
      response.json({ from, to, experiments })
    }),
  )
  router.get(
    '/api/alerts',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      response.json({ alerts: await deps.alerts.recent(session.teams) })
    }),
  )
  router.post(
    '/api/alerts/:id/ack',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      const { id } = parseRequest(z.object({ id: z.string().min(1).max(100) }), request.params)
      response.json({ alert: await deps.alerts.acknowledge(session.teams, id, session.userId) })
    }),
  )
  return router
}
