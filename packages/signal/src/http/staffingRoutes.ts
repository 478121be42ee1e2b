import {
  type Clock,
  INTERVAL_MINUTES,
  INTERVALS_PER_DAY,
  KefuError,
  shiftPlanCsv,
  staffDay,
  TeamIdSchema,
} from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import { qualityReport } from '../metrics/qualityReport'
import type { Repository } from '../store/Repository'
import { type Authenticate, authenticateSupervisor, parseRequest, route, teamsAskedFor } from './requests'

const DAY_MS = 24 * 3600_000
// A report reads at most this many conversations of the history.
const MAX_HISTORY = 5000

const StaffingQuery = z.object({
  team: TeamIdSchema,
  /** Days of history the forecast averages (each half hour of the day over these days). */
  days: z.coerce.number().int().min(1).max(28).default(7),
  /** Overrides the handling time measured in the history. */
  ahtS: z.coerce.number().positive().max(7200).optional(),
  share: z.coerce.number().min(0.01).max(0.99).default(0.8),
  withinS: z.coerce.number().positive().max(3600).default(20),
  maxOccupancy: z.coerce.number().min(0.1).max(1).default(0.85),
  shrinkage: z.coerce.number().min(0).max(0.9).default(0.3),
  format: z.enum(['json', 'csv']).default('json'),
})

/**
 * Staffing for one team: arrivals per half hour of the day forecast from its stored history (the
 * mean over the last `days`), the agents each half hour needs by Erlang C, and the three-layer
 * shift plan that covers them.
 */
export function staffingRoutes(deps: { repo: Repository; clock: Clock; authenticate: Authenticate }): Router {
  const router = express.Router()
  router.get(
    '/api/staffing',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      const query = parseRequest(StaffingQuery, request.query)
      teamsAskedFor(session, query.team)
      const to = deps.clock.now() + 1
      const from = to - query.days * DAY_MS
      const conversations = await deps.repo.listConversations({ teamIds: [query.team], limit: MAX_HISTORY })
      const arrivals = new Array<number>(INTERVALS_PER_DAY).fill(0)
      for (const conversation of conversations) {
        if (conversation.createdAt < from || conversation.createdAt >= to) continue
        // Half hours of the server's local day (TZ), where the service's opening hours are.
        const at = new Date(conversation.createdAt)
        const slot = Math.floor((at.getHours() * 60 + at.getMinutes()) / INTERVAL_MINUTES)
        arrivals[slot] = (arrivals[slot] ?? 0) + 1 / query.days
      }
      const measured = query.ahtS
        ? undefined
        : (
            await qualityReport(deps.repo, {
              teamIds: [query.team],
              from,
              to,
              serviceTargetMs: () => query.withinS * 1000,
            })
          ).overall.aht.value
      const ahtS = query.ahtS ?? (measured === null || measured === undefined ? undefined : measured / 1000)
      if (ahtS === undefined)
        throw KefuError.badRequest('No handled conversations to measure the handling time from: pass ahtS')
      const { intervals, plan } = staffDay(arrivals, { ...query, ahtS })
      const needs = intervals.map((interval) => interval.scheduled)
      if (query.format === 'csv') {
        response.type('text/csv').attachment(`staffing-${query.team}.csv`).send(shiftPlanCsv(needs, plan))
        return
      }
      response.json({ team: query.team, days: query.days, ahtS, arrivals, intervals, plan })
    }),
  )
  return router
}
