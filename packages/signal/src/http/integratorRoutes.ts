import { BehaviourBatchSchema, ErrorCode, KefuError } from '@kefu/shared'
import express, { type Router } from 'express'
import { verifyWebhook } from '../auth/webhookSignature'
import type { ProactiveService } from '../proactive/ProactiveService'
import { parseRequest, route } from './requests'

/**
 * What the shop's backend posts about its customers (page views, cart changes, failed payments),
 * signed with INTEGRATOR_WEBHOOK_SECRET in kefu's webhook format over the exact body; without a
 * secret configured nothing is taken. Mounted before the service-wide JSON parser: the signature
 * covers the raw bytes.
 */
export function integratorRoutes(deps: {
  proactive: ProactiveService
  secret: string | undefined
  now(): number
}): Router {
  const router = express.Router()
  router.post(
    '/api/integrator/events',
    express.text({ type: '*/*', limit: '256kb' }),
    route(async (request, response) => {
      if (!deps.secret)
        throw new KefuError(ErrorCode.SignatureInvalid, 'Set INTEGRATOR_WEBHOOK_SECRET to receive events')
      const body = typeof request.body === 'string' ? request.body : ''
      verifyWebhook(
        deps.secret,
        request.get('x-kefu-timestamp'),
        request.get('x-kefu-signature'),
        body,
        deps.now(),
      )
      const { events } = parseRequest(BehaviourBatchSchema, parseJson(body))
      response.json(await deps.proactive.receive(events))
    }),
  )
  return router
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw KefuError.badRequest('The body is not JSON')
  }
}
