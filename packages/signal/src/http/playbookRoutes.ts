import { KnowledgeIdSchema } from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import type { EmergencyMode } from '../emergency/EmergencyMode'
import type { KnowledgeBase } from '../knowledge/KnowledgeBase'
import { type Authenticate, authenticateSupervisor, parseRequest, route } from './requests'

const IdParams = z.object({ id: KnowledgeIdSchema })

/**
 * Emergency playbooks, a supervisor's switch for the whole service: what there is, what is on, who
 * switched what when; on and off. Every supervisor may, whatever their teams: an outage is everyone's.
 */
export function playbookRoutes(deps: {
  emergency: EmergencyMode
  knowledge: Pick<KnowledgeBase, 'list'>
  authenticate: Authenticate
}): Router {
  const { emergency, authenticate } = deps
  const router = express.Router()
  router.get(
    '/api/playbooks',
    route(async (request, response) => {
      await authenticateSupervisor(authenticate, request)
      const playbooks = deps.knowledge
        .list()
        .flatMap(({ entry, status }) => (entry.tier === 'playbook' ? [{ ...entry, status }] : []))
      response.json({ playbooks, ...(await emergency.log()) })
    }),
  )
  router.post(
    '/api/playbooks/:id/activate',
    route(async (request, response) => {
      const session = await authenticate(request)
      const { id } = parseRequest(IdParams, request.params)
      response.json({ activation: await emergency.activate(session, id) })
    }),
  )
  router.post(
    '/api/playbooks/deactivate',
    route(async (request, response) => {
      response.json({ activation: await emergency.deactivate(await authenticate(request)) })
    }),
  )
  return router
}
