import { ChannelSchema, type Clock, TeamIdSchema } from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import { qualityReport } from '../metrics/qualityReport'
import type { Repository } from '../store/Repository'
import { type Authenticate, authenticateSupervisor, parseRequest, route, teamsAskedFor } from './requests'

const DAY_MS = 24 * 3600_000
const QualityQuery = z.object({
  team: TeamIdSchema.optional(),
  channel: ChannelSchema.optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
  /** The service level's target answer time, in seconds (the article's VIP target is 15 s). */
  targetS: z.coerce.number().positive().max(3600).default(20),
})

/** The service's quality figures, for supervisors of the teams asked about. */
export function qualityRoutes(deps: { repo: Repository; clock: Clock; authenticate: Authenticate }): Router {
  const router = express.Router()
  router.get(
    '/api/quality',
    route(async (request, response) => {
      const session = await authenticateSupervisor(deps.authenticate, request)
      const query = parseRequest(QualityQuery, request.query)
      const teams = teamsAskedFor(session, query.team)
      const to = query.to ?? deps.clock.now() + 1
      response.json(
        await qualityReport(deps.repo, {
          teamIds: teams,
          from: query.from ?? to - DAY_MS,
          to,
          channel: query.channel,
          serviceTargetMs: query.targetS * 1000,
        }),
      )
    }),
  )
  return router
}
