import { isOpen } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { LivekitAccess } from '../livekitAccess'
import { livekitServerSdk } from '../livekitSdks'
import type { HallSeats } from '../ports/HallSeats'
import type { Repository } from '../store/Repository'
import type { HallVisits } from './HallVisits'
import { hallRoomName } from './hallRooms'

/** A seat in the hall: the shard's LiveKit room and a token for it. */
export interface HallSeat {
  url: string
  token: string
  room: string
  shard: number
}

/**
 * Seats `session` in a hall shard (where their agent is, for a customer) and mints the least a
 * seat needs: join the shard's room, receive everyone's poses, send one's own as data. No media:
 * publishing a microphone into a room of thirty strangers is what the conversation's own room
 * exists to avoid. The browser takes the token itself; a mini-program's seat is taken by the
 * server for it (`HallBridge`), under the same identity.
 */
export async function seatInHall(
  deps: {
    repo: Repository
    seats: HallSeats
    livekit: LivekitAccess
    visits: Pick<HallVisits, 'recordHallVisit'>
  },
  session: Session,
): Promise<HallSeat> {
  const { livekit } = deps
  const shard = await deps.seats.place(session.userId, await companionOf(deps.repo, session))
  await deps.visits.recordHallVisit(session)
  const room = hallRoomName(shard)
  const { AccessToken } = await livekitServerSdk()
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: session.userId,
    name: session.displayName,
    ttl: livekit.tokenTtlS,
    metadata: JSON.stringify({ role: session.role, teams: session.teams }),
  })
  token.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: true })
  return { url: await livekit.nodeUrl(), token: await token.toJwt(), room, shard }
}

// A customer joins the hall where their agent is, so they can walk up to them.
async function companionOf(repo: Repository, session: Session) {
  if (session.role !== 'customer') return undefined
  const [latest] = await repo.listConversations({ customerId: session.userId, limit: 1 })
  return latest && isOpen(latest.state) ? (latest.agentId ?? undefined) : undefined
}
