import { ErrorCode, isOpen, KefuError, type Product } from '@kefu/shared'
import express, { type Router } from 'express'
import { AccessToken } from 'livekit-server-sdk'
import type { Session } from '../auth/sessionTokens'
import type { LivekitConfig } from '../config'
import { type HallShards, hallRoomName } from '../hall/HallShards'
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
  shards: HallShards
  authenticate: Authenticate
  livekit: LivekitConfig | undefined
  products: readonly Product[]
}): Router {
  const { repo, router, shards, authenticate } = deps
  const routes = express.Router()

  routes.post(
    '/api/hall/token',
    route(async (request, response) => {
      const session = await authenticate(request)
      const livekit = deps.livekit
      if (!livekit) throw new KefuError(ErrorCode.VoiceUnavailable, 'The 3D hall needs the voice service')
      const shard = shards.place(session.userId, await companionOf(repo, session))
      const room = hallRoomName(shard)
      response.json({ url: livekit.url, token: await mintHallToken(livekit, session, room), room, shard })
    }),
  )

  routes.get(
    '/api/hall/state',
    route(async (request, response) => {
      await authenticate(request)
      const teams = await repo.listTeams()
      const staff = await repo.listStaff()
      const waiting: Record<string, number> = Object.fromEntries(teams.map((team) => [team.id, 0]))
      for (const entry of router.orderedQueue()) waiting[entry.teamId] = (waiting[entry.teamId] ?? 0) + 1
      response.json({
        teams: teams.map((team) => ({ id: team.id, name: team.name })),
        agents: staff
          .filter((member) => member.role === 'agent' && member.active)
          .map((agent) => {
            const status = router.agentStatus(agent.id) ?? 'offline'
            const isFull = router.load(agent.id) >= agent.capacity
            return {
              id: agent.id,
              name: agent.displayName,
              teams: agent.teams,
              availability: status === 'available' && isFull ? 'busy' : status,
              inHall: shards.isInHall(agent.id),
            }
          }),
        waiting,
      })
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

// A customer joins the hall where their agent is, so they can walk up to them.
async function companionOf(repo: Repository, session: Session) {
  if (session.role !== 'customer') return undefined
  const [latest] = await repo.listConversations({ customerId: session.userId, limit: 1 })
  return latest && isOpen(latest.state) ? (latest.agentId ?? undefined) : undefined
}

/**
 * The least a hall seat needs: join one shard's room, receive everyone's poses, send one's own
 * as data. No media: publishing a microphone into a room of thirty strangers is what the
 * conversation's own room exists to avoid.
 */
function mintHallToken(livekit: LivekitConfig, session: Session, room: string): Promise<string> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: session.userId,
    name: session.displayName,
    ttl: livekit.tokenTtlS,
    metadata: JSON.stringify({ role: session.role, teams: session.teams }),
  })
  token.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: true })
  return token.toJwt()
}
