import { ErrorCode, KefuError, type Product } from '@kefu/shared'
import express, { type Router } from 'express'
import type { HallVisits } from '../hall/HallVisits'
import { seatInHall } from '../hall/hallSeats'
import { readHallState } from '../hall/hallState'
import type { LivekitAccess } from '../livekitAccess'
import type { HallSeats } from '../ports/HallSeats'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository } from '../store/Repository'
import { type Authenticate, route } from './requests'

/**
 * The 3D hall: a seat in a shard (a LiveKit room for poses and presence, with no microphone: a
 * conversation's voice stays in that conversation's own room) and what the hall shows of the
 * service (desks, who staffs them, queues).
 */
export function hallRoutes(deps: {
  repo: Repository
  router: RoutingState
  seats: HallSeats
  authenticate: Authenticate
  livekit: LivekitAccess | undefined
  products: readonly Product[]
  visits: HallVisits
}): Router {
  const { repo, router, seats, authenticate } = deps
  const routes = express.Router()

  routes.post(
    '/api/hall/token',
    route(async (request, response) => {
      const session = await authenticate(request)
      const livekit = deps.livekit
      if (!livekit) throw new KefuError(ErrorCode.VoiceUnavailable, 'The 3D hall needs the voice service')
      response.json(await seatInHall({ repo, seats, livekit, visits: deps.visits }, session))
    }),
  )

  routes.get(
    '/api/hall/state',
    route(async (request, response) => {
      await authenticate(request)
      response.json(await readHallState({ repo, router, seats }))
    }),
  )
  routes.get(
    '/api/products',
    route(async (request, response) => {
      await authenticate(request)
      response.json({ products: deps.products })
    }),
  )
  return routes
}
