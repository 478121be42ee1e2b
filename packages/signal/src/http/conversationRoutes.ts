import {
  type Conversation,
  ConversationIdSchema,
  ConversationStateSchema,
  type CustomerCard,
  ErrorCode,
  KefuError,
  TeamIdSchema,
  type UserId,
} from '@kefu/shared'
import express, { type Request, type Router } from 'express'
import { z } from 'zod'
import { assertCanView, assertStaff } from '../chat/access'
import { mintVoiceToken } from '../livekit/voiceTokens'
import type { LivekitAccess } from '../livekitAccess'
import type { Repository } from '../store/Repository'
import type { ReplyWindowView } from '../wechat/WechatChannel'
import { type Authenticate, parseRequest, route } from './requests'

const ListQuery = z.object({
  state: z.string().optional(),
  team: TeamIdSchema.optional(),
  before: z.coerce.number().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
const HistoryQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

/** How many earlier conversations the customer card lists. */
const EARLIER = 10

/** Teams, conversations, their history and their voice tokens, each as the caller may see them. */
export function conversationRoutes(deps: {
  repo: Repository
  authenticate: Authenticate
  /** Absent when voice is off. */
  livekit: LivekitAccess | undefined
  /** How many replies the conversation's delivery route still allows (WeChat), if it limits them. */
  replyWindow?: ((conversation: Conversation) => Promise<ReplyWindowView | undefined>) | undefined
  /** How many devices a user has online (the customer card). */
  devicesOnline(userId: UserId): Promise<number>
}): Router {
  const { repo, authenticate } = deps
  const router = express.Router()

  /** The conversation named in the path, once the caller is known and allowed to see it. */
  const viewableConversation = async (request: Request) => {
    const session = await authenticate(request)
    const conversation = await repo.getConversation(parseRequest(ConversationIdSchema, request.params.id))
    if (!conversation) throw KefuError.notFound('Conversation')
    assertCanView(session, conversation)
    return { session, conversation }
  }

  router.get(
    '/api/teams',
    route(async (request, response) => {
      assertStaff(await authenticate(request))
      response.json({ teams: await repo.listTeams() })
    }),
  )

  router.get(
    '/api/conversations',
    route(async (request, response) => {
      const session = await authenticate(request)
      const query = parseRequest(ListQuery, request.query)
      const states = query.state?.split(',').map((state) => parseRequest(ConversationStateSchema, state))
      const base = {
        limit: query.limit,
        ...(states ? { states } : {}),
        ...(query.before ? { updatedBefore: query.before } : {}),
      }
      if (session.role === 'customer') {
        response.json({
          conversations: await repo.listConversations({ ...base, customerId: session.userId }),
        })
        return
      }
      // Staff, agents and supervisors alike, list only their own teams' conversations.
      if (query.team && !session.teams.includes(query.team)) throw KefuError.forbidden('Not your team')
      const teamIds = query.team ? [query.team] : session.teams
      response.json({ conversations: await repo.listConversations({ ...base, teamIds }) })
    }),
  )

  router.get(
    '/api/conversations/:id',
    route(async (request, response) => {
      const { session, conversation } = await viewableConversation(request)
      const readMarks = Object.fromEntries(await repo.readMarks(conversation.id))
      const isStaff = session.role !== 'customer'
      response.json({
        conversation,
        readMarks,
        replyWindow: await deps.replyWindow?.(conversation),
        ...(isStaff
          ? {
              notes: await repo.listHandoverNotes(conversation.id),
              customer: await customerCard(conversation),
            }
          : {}),
      })
    }),
  )

  /** Who the customer is (their verified profile), where they are online, and what they asked before. */
  const customerCard = async (conversation: Conversation): Promise<CustomerCard> => {
    const profile = await repo.getCustomer(conversation.customerId)
    const theirs = await repo.listConversations({ customerId: conversation.customerId, limit: EARLIER + 1 })
    return {
      displayName: profile?.displayName || conversation.customerName,
      vipLevel: profile?.vipLevel ?? 0,
      lastPurchaseAt: profile?.lastPurchaseAt ?? null,
      platform: profile?.platform ?? conversation.channel,
      isGuest: profile?.isGuest ?? true,
      devicesOnline: await deps.devicesOnline(conversation.customerId),
      earlier: theirs
        .filter((other) => other.id !== conversation.id)
        .slice(0, EARLIER)
        .map(({ id, createdAt, state, channel, teamId }) => ({ id, createdAt, state, channel, teamId })),
    }
  }

  router.get(
    '/api/conversations/:id/messages',
    route(async (request, response) => {
      const { conversation } = await viewableConversation(request)
      const { before, limit } = parseRequest(HistoryQuery, request.query)
      const messages = await repo.listMessagesBefore(
        conversation.id,
        before ?? conversation.lastSeq + 1,
        limit,
      )
      response.json({ messages, hasMore: (messages[0]?.seq ?? 1) > 1 })
    }),
  )

  router.post(
    '/api/conversations/:id/voice-token',
    route(async (request, response) => {
      // Who asks is settled first: a stranger learns nothing, not even whether voice is on.
      const { session, conversation } = await viewableConversation(request)
      const livekit = deps.livekit
      if (!livekit) throw new KefuError(ErrorCode.VoiceUnavailable, 'Voice is not available on this server')
      const token = await mintVoiceToken(livekit, session, conversation)
      response.json({ url: await livekit.nodeUrl(), token, room: conversation.voiceRoom })
    }),
  )
  return router
}
