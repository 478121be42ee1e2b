import { createHash, timingSafeEqual } from 'node:crypto'
import { ErrorCode, KefuError } from '@kefu/shared'
import express, { type Router } from 'express'
import type { Metrics } from '../metrics/prometheus'
import type { Repository } from '../store/Repository'
import { route } from './requests'

/** What operators and their tools read: liveness, readiness and the Prometheus scrape. */
export function operationsRoutes(deps: {
  repo: Repository
  metrics: Metrics
  metricsToken: string | undefined
  /** Outside development, /metrics answers only to the scrape token. */
  isDev: boolean
  /** False while a cluster's node cannot reach Redis; absent on a single node. */
  clusterReady?: (() => boolean) | undefined
}): Router {
  const router = express.Router()
  router.get('/healthz', (_request, response) => void response.json({ ok: true }))
  router.get(
    '/readyz',
    route(async (_request, response) => {
      // An unreachable store fails the read below the same way (503, `unavailable`).
      if (deps.clusterReady?.() === false)
        throw new KefuError(ErrorCode.Unavailable, 'This node cannot reach the cluster’s Redis')
      response.json({ ok: true, epoch: await deps.repo.epoch() })
    }),
  )
  router.get(
    '/metrics',
    route(async (request, response) => {
      // Message rates, queue lengths and staffing are business figures: a public server keeps them
      // for whoever holds the scrape token.
      if (!deps.metricsToken) {
        if (!deps.isDev) throw KefuError.unauthenticated('Set METRICS_TOKEN to scrape /metrics')
      } else if (!hasBearer(request.get('authorization'), deps.metricsToken))
        throw KefuError.unauthenticated('Metrics need the scrape token')
      response.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
    }),
  )
  return router
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
function hasBearer(header: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`))
}
