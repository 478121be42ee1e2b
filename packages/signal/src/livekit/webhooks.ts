import {
  asConversationId,
  asUserId,
  type Clock,
  type ConversationId,
  ErrorCode,
  KefuError,
  type Logger,
} from '@kefu/shared'
import express, { type Router } from 'express'
import type { WebhookEvent } from 'livekit-server-sdk'
import type { LivekitConfig } from '../config'
import { shardOfRoom } from '../hall/hallRooms'
import { livekitServerSdk } from '../livekitSdks'
import type { HallSeats } from '../ports/HallSeats'
import type { Repository } from '../store/Repository'
import { handleUpstreamEventOnce } from '../store/upstreamEvents'
import type { VoiceEvent } from './VoiceCalls'
import { SCRIBE_IDENTITY } from './VoiceRooms'

/** Where voice events go: the conversation's history, and the first response for an agent's audio. */
export interface VoiceEventSink {
  record(conversationId: ConversationId, event: VoiceEvent, at: number, upstreamId: string): Promise<void>
}

/**
 * `/livekit/webhook`: verifies LiveKit's signature (a forged or unsigned call gets 401 and changes
 * nothing) and records joins, leaves and published audio of the visible participants in the
 * conversation's history, once per event id however often LiveKit retries.
 */
export function livekitWebhookRouter(deps: {
  config: LivekitConfig
  repo: Repository
  sink: VoiceEventSink
  clock: Clock
  logger: Logger
  /** Who sits in which hall shard: told of joins and leaves in hall rooms, which are no conversations. */
  hall: HallSeats
}): Router {
  const router = express.Router()
  router.post('/livekit/webhook', express.raw({ type: '*/*', limit: '256kb' }), (request, response, next) => {
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : ''
    const record = async (event: WebhookEvent, isAudio: boolean) => {
      const mapped = toVoiceEvent(event.event, isAudio, event.participant?.identity, event.participant?.name)
      const room = event.room?.name
      const hallShard = room === undefined ? undefined : shardOfRoom(room)
      if (hallShard !== undefined) return recordHallSeat(deps.hall, hallShard, event)
      // Hidden participants (a supervisor listening in) stay out of the history the customer reads.
      const isHidden = event.participant?.permission?.hidden === true
      if (!mapped || !room || event.participant?.identity === SCRIBE_IDENTITY || isHidden) return
      const at = Number(event.createdAt) * 1000 || deps.clock.now()
      await deps.sink.record(asConversationId(room), mapped, at, event.id)
    }
    // Handling a redelivery twice is harmless: the history's entry is keyed by the event's id.
    const handle = (event: WebhookEvent, isAudio: boolean) =>
      handleUpstreamEventOnce(
        deps.repo,
        `livekit:${event.id}`,
        () => deps.clock.now(),
        () => record(event, isAudio),
      )
    const verified = livekitServerSdk().then(async ({ WebhookReceiver, TrackType }) => {
      const receiver = new WebhookReceiver(deps.config.apiKey, deps.config.apiSecret)
      const event = await receiver.receive(body, request.headers.authorization)
      return { event, isAudio: event.track?.type === TrackType.AUDIO }
    })
    verified.then(
      ({ event, isAudio }) => handle(event, isAudio).then(() => void response.json({ ok: true }), next),
      (error: unknown) => {
        deps.logger.warn({ err: error }, 'refused a LiveKit webhook')
        next(new KefuError(ErrorCode.SignatureInvalid, 'The webhook signature is not valid'))
      },
    )
  })
  return router
}

function toVoiceEvent(
  kind: string,
  isAudio: boolean,
  identity?: string,
  name?: string,
): VoiceEvent | undefined {
  const who = { ...(identity ? { identity } : {}), ...(name ? { name } : {}) }
  switch (kind) {
    case 'participant_joined':
      return { event: 'voice.joined', ...who }
    case 'participant_left':
      return { event: 'voice.left', ...who }
    case 'track_published':
      return isAudio ? { event: 'voice.audio_published', ...who } : undefined
    case 'room_finished':
      return { event: 'voice.room_closed' }
    default:
      return undefined
  }
}

async function recordHallSeat(hall: HallSeats, shard: number, event: WebhookEvent): Promise<void> {
  const identity = event.participant?.identity
  if (!identity) return
  const connection = event.participant?.sid || identity
  if (event.event === 'participant_joined') await hall.joined(shard, asUserId(identity), connection)
  if (event.event === 'participant_left') await hall.left(shard, asUserId(identity), connection)
}
