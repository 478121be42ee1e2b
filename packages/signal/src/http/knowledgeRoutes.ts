import {
  type Hit,
  KefuError,
  KnowledgeAskRequestSchema,
  KnowledgeIdSchema,
  KnowledgeImportRequestSchema,
  KnowledgeSaveRequestSchema,
  KnowledgeStatusRequestSchema,
  knowledgeToJsonLines,
} from '@kefu/shared'
import express, { type Router } from 'express'
import { z } from 'zod'
import { assertStaff } from '../chat/access'
import type { KnowledgeBase } from '../knowledge/KnowledgeBase'
import type { KnowledgeRepository } from '../store/Repository'
import { type Authenticate, authenticateSupervisor, parseRequest, route } from './requests'

/** A knowledge file may be far larger than a chat request. */
const MAX_IMPORT_BODY = '5mb'
const IdParams = z.object({ id: KnowledgeIdSchema })

const hitView = ({ entry, score, confidence, similarity }: Hit) => ({
  id: entry.id,
  tier: entry.tier,
  question: entry.questions[0] ?? '',
  answer: entry.answer,
  lang: entry.lang,
  score: Number(score.toFixed(3)),
  confidence: Number(confidence.toFixed(3)),
  ...(similarity === undefined ? {} : { similarity: Number(similarity.toFixed(3)) }),
})

/**
 * The knowledge base: staff read it and ask it (the console's suggestions); supervisors create,
 * edit, review, import, export and retire entries. Mounted before the service-wide body parser,
 * with a larger limit for whole files.
 */
export function knowledgeRoutes(deps: {
  knowledge: KnowledgeBase
  repo: KnowledgeRepository
  authenticate: Authenticate
  minConfidence: number
}): Router {
  const { knowledge, authenticate } = deps
  const router = express.Router()
  router.use('/api/knowledge', express.json({ limit: MAX_IMPORT_BODY }))
  router.get(
    '/api/knowledge',
    route(async (request, response) => {
      assertStaff(await authenticate(request))
      response.json({ records: knowledge.list(), usage: await deps.repo.listKnowledgeUsage() })
    }),
  )
  router.post(
    '/api/knowledge/ask',
    route(async (request, response) => {
      assertStaff(await authenticate(request))
      const { q, k } = parseRequest(KnowledgeAskRequestSchema, request.body)
      const hits = await knowledge.ask(q, k)
      response.json({ hits: hits.map(hitView), minConfidence: deps.minConfidence })
    }),
  )
  router.get(
    '/api/knowledge/export',
    route(async (request, response) => {
      await authenticateSupervisor(authenticate, request)
      const entries = knowledge.list().filter((record) => record.status !== 'retired')
      response
        .type('application/x-ndjson')
        .attachment('knowledge.jsonl')
        .send(`${knowledgeToJsonLines(entries.map((record) => record.entry))}\n`)
    }),
  )
  router.get(
    '/api/knowledge/review',
    route(async (request, response) => {
      await authenticateSupervisor(authenticate, request)
      response.json(await knowledge.review())
    }),
  )
  router.post(
    '/api/knowledge/import',
    route(async (request, response) => {
      const session = await authenticateSupervisor(authenticate, request)
      const { format, text } = parseRequest(KnowledgeImportRequestSchema, request.body)
      const result = await knowledge.importText(text, format, session.userId)
      if (!result.ok) {
        const [first] = result.problems
        response.status(400).json({
          code: 'bad_request',
          message: `Nothing imported: line ${first?.line}${first?.field ? `, ${first.field}` : ''}: ${first?.message}`,
          problems: result.problems,
        })
        return
      }
      response.json({ imported: result.entries.length })
    }),
  )
  router.put(
    '/api/knowledge/:id',
    route(async (request, response) => {
      const session = await authenticateSupervisor(authenticate, request)
      const { id } = parseRequest(IdParams, request.params)
      const { entry, status } = parseRequest(KnowledgeSaveRequestSchema, request.body)
      if (entry.id !== id) throw KefuError.badRequest(`The entry's id is ${entry.id}, not ${id}`)
      response.json({ record: await knowledge.save(entry, status, session.userId) })
    }),
  )
  router.post(
    '/api/knowledge/:id/status',
    route(async (request, response) => {
      const session = await authenticateSupervisor(authenticate, request)
      const { id } = parseRequest(IdParams, request.params)
      const { status } = parseRequest(KnowledgeStatusRequestSchema, request.body)
      response.json({ record: await knowledge.setStatus(id, status, session.userId) })
    }),
  )
  return router
}
