import { KefuError, NewCannedReplySchema } from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import { assertStaff } from '../chat/access'
import type { CannedReplyRepository } from '../store/Repository'
import { type Authenticate, parseRequest, route } from './requests'

/**
 * Canned replies: every staff member has their own and reads their teams'; a supervisor keeps their
 * teams' replies. Names are unique per owner (a personal reply may shadow a team's of the same name).
 */
export function cannedReplyRoutes(deps: {
  repo: CannedReplyRepository
  authenticate: Authenticate
  newId(): string
  now(): number
}): Router {
  const { repo, authenticate } = deps
  const router = express.Router()
  router.get(
    '/api/canned-replies',
    route(async (request, response) => {
      const session = await authenticate(request)
      assertStaff(session)
      response.json({ replies: await repo.listCannedReplies(session.userId, session.teams) })
    }),
  )
  router.post(
    '/api/canned-replies',
    route(async (request, response) => {
      const session = await authenticate(request)
      assertStaff(session)
      const asked = parseRequest(NewCannedReplySchema, request.body)
      if (asked.teamId !== undefined) {
        if (session.role !== 'supervisor' || !session.teams.includes(asked.teamId))
          throw KefuError.forbidden('Only a supervisor of the team keeps its canned replies')
      }
      const known = await repo.listCannedReplies(session.userId, session.teams)
      const clash = known.find(
        (reply) =>
          reply.name === asked.name &&
          (asked.teamId ? reply.teamId === asked.teamId : reply.ownerId === session.userId),
      )
      if (clash) throw KefuError.badRequest(`There is already a reply named ${asked.name}`)
      const reply = {
        id: `cr_${deps.newId()}`,
        name: asked.name,
        body: asked.body,
        teamId: asked.teamId ?? null,
        ownerId: asked.teamId ? null : session.userId,
      }
      await repo.saveCannedReply(reply, deps.now())
      response.status(201).json({ reply })
    }),
  )
  router.delete(
    '/api/canned-replies/:id',
    route(async (request, response) => {
      const session = await authenticate(request)
      assertStaff(session)
      const { id } = parseRequest(z.object({ id: z.string().min(1).max(100) }), request.params)
      const reply = await repo.getCannedReply(id)
      const mayDelete =
        reply !== undefined &&
        (reply.ownerId === session.userId ||
          (reply.teamId !== null &&
            session.role === 'supervisor' &&
            session.teams.includes(reply.teamId as never)))
      // Someone else's reply is as unknown as a missing one.
      if (!reply || !mayDelete) throw KefuError.notFound('Canned reply')
      await repo.deleteCannedReply(id)
      response.status(204).end()
    }),
  )
  return router
}
