import { type Conversation, KefuError } from '@kefu/shared'
import type { TrackSource, VideoGrant } from 'livekit-server-sdk'
import type { Session } from '../auth/sessionTokens'
import type { LivekitConfig } from '../config'
import { livekitServerSdk } from '../livekitSdks'

/**
 * The least each role needs in a conversation's room. Nobody gets room admin, create or list:
 * the server does that itself. Customers and the assigned agent talk (microphone only) and may
 * send chat data; a supervisor listens in, hidden, as a call centre's silent monitoring does.
 */
export function grantFor(session: Session, conversation: Conversation, microphone: TrackSource): VideoGrant {
  const talks =
    (session.role === 'customer' && conversation.customerId === session.userId) ||
    (session.role === 'agent' && conversation.agentId === session.userId)
  if (!talks && session.role !== 'supervisor')
    throw KefuError.forbidden('Only the customer and the assigned agent may join this call')
  const room = conversation.voiceRoom
  if (!room) throw KefuError.badRequest('Voice has not been started in this conversation')
  const base = { room, roomJoin: true, canSubscribe: true }
  if (talks) return { ...base, canPublish: true, canPublishData: true, canPublishSources: [microphone] }
  return { ...base, canPublish: false, canPublishData: false, hidden: true }
}

/** Mints a short-lived LiveKit token for one person in one conversation's room. */
export async function mintVoiceToken(
  config: LivekitConfig,
  session: Session,
  conversation: Conversation,
): Promise<string> {
  const { AccessToken, TrackSource } = await livekitServerSdk()
  const token = new AccessToken(config.apiKey, config.apiSecret, {
    identity: session.userId,
    name: session.displayName,
    ttl: config.tokenTtlS,
    metadata: JSON.stringify({ role: session.role }),
  })
  token.addGrant(grantFor(session, conversation, TrackSource.MICROPHONE))
  return token.toJwt()
}
