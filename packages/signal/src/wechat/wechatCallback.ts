import {
  asClientMessageId,
  asUserId,
  Channel,
  type Clock,
  DeliveryRoute,
  ErrorCode,
  KefuError,
  type Logger,
} from '@kefu/shared'
import express, { type Request, type Router } from 'express'
import type { Session } from '../auth/sessionTokens'
import type { Lifecycle } from '../chat/Lifecycle'
import type { Messaging, OutgoingMessage } from '../chat/Messaging'
import type { WechatConfig } from '../config'
import type { Repository } from '../store/Repository'
import { handleUpstreamEventOnce } from '../store/upstreamEvents'
import { WECHAT_USER_PREFIX } from './WechatChannel'
import { decryptWechatMessage, isSignatureValid } from './wechatCrypto'
import {
  EncryptedBodySchema,
  pushedText,
  readPushBody,
  type WechatPush,
  WechatPushSchema,
} from './wechatPush'

interface CallbackDeps {
  config: WechatConfig
  repo: Repository
  lifecycle: Lifecycle
  messaging: Messaging
  clock: Clock
  logger: Logger
}

const query = (request: Request, name: string): string => {
  const value = request.query[name]
  return typeof value === 'string' ? value : ''
}

/**
 * `/wechat/callback`: WeChat's customer-service message push. GET is the URL verification
 * handshake; POST carries messages in the configured mode (plain, compatible or safe), as JSON or
 * XML. Every push is checked against the token, its timestamp and its nonce before anything is
 * read, and stored once per MsgId however often WeChat retries it.
 */
export function wechatCallbackRouter(deps: CallbackDeps): Router {
  const { config } = deps
  const router = express.Router()

  router.get('/wechat/callback', (request, response, next) => {
    const valid = isSignatureValid(
      query(request, 'signature'),
      config.token,
      query(request, 'timestamp'),
      query(request, 'nonce'),
    )
    if (!valid) return next(new KefuError(ErrorCode.SignatureInvalid, 'Bad WeChat signature'))
    response.type('text/plain').send(query(request, 'echostr'))
  })

  router.post('/wechat/callback', express.text({ type: '*/*', limit: '64kb' }), (request, response, next) => {
    // Signed (timestamp, nonce) pairs are kept in the store, so a replay is refused by every node.
    // A pair older than the freshness window is refused by its timestamp before it is looked up.
    const seen = `wechat-nonce:${query(request, 'timestamp')}:${query(request, 'nonce')}`
    readVerifiedPush(deps, request, seen)
      .then((push) => handlePush(deps, push))
      // Remembered only once handled: WeChat's retry of a push that failed here must still get in.
      .then(() => deps.repo.recordWebhookEvent(seen, deps.clock.now()))
      // WeChat wants the literal "success" (or an empty body) and retries anything else.
      .then(() => void response.type('text/plain').send('success'), next)
  })
  return router
}

async function readVerifiedPush(
  { config, clock, repo }: CallbackDeps,
  request: Request,
  seen: string,
): Promise<WechatPush> {
  const text = typeof request.body === 'string' ? request.body : ''
  const [timestamp, nonce] = [query(request, 'timestamp'), query(request, 'nonce')]
  const now = clock.now()
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Number(timestamp) * 1000 - now) > config.maxClockSkewMs)
    throw new KefuError(ErrorCode.SignatureInvalid, 'The push is too old or from the future')
  if (await repo.hasWebhookEvent(seen))
    throw new KefuError(ErrorCode.SignatureInvalid, 'This push was already received')
  const isEncrypted = query(request, 'encrypt_type') === 'aes'
  if (isEncrypted ? config.mode === 'plain' : config.mode === 'safe')
    throw new KefuError(
      ErrorCode.SignatureInvalid,
      `This callback takes ${config.mode === 'safe' ? 'encrypted' : 'plain'} pushes only`,
    )
  let fields: Record<string, string>
  try {
    fields = readPushBody(text)
  } catch {
    throw KefuError.badRequest('The push body is neither JSON nor XML')
  }
  if (isEncrypted) {
    const outer = EncryptedBodySchema.safeParse(fields)
    if (!outer.success || !config.encodingAesKey)
      throw KefuError.badRequest('Encrypted push without a key or payload')
    if (
      !isSignatureValid(query(request, 'msg_signature'), config.token, timestamp, nonce, outer.data.Encrypt)
    ) {
      throw new KefuError(ErrorCode.SignatureInvalid, 'Bad WeChat msg_signature')
    }
    try {
      fields = readPushBody(decryptWechatMessage(config.encodingAesKey, outer.data.Encrypt, config.appId))
    } catch {
      throw KefuError.badRequest('The encrypted push cannot be read')
    }
  } else if (!isSignatureValid(query(request, 'signature'), config.token, timestamp, nonce)) {
    throw new KefuError(ErrorCode.SignatureInvalid, 'Bad WeChat signature')
  }
  const push = WechatPushSchema.safeParse(fields)
  if (!push.success) throw KefuError.badRequest('The push is not a WeChat message')
  return push.data
}

async function handlePush(deps: CallbackDeps, push: WechatPush): Promise<void> {
  const eventId = push.MsgId ?? `${push.FromUserName}:${push.CreateTime}:${push.Event ?? push.MsgType}`
  // Taking a retried push twice is harmless: the message's cid comes from the id, and opening
  // finds the conversation already open.
  await handleUpstreamEventOnce(
    deps.repo,
    `wechat:${eventId}`,
    () => deps.clock.now(),
    () => storePush(deps, push, eventId),
  )
}

async function storePush(deps: CallbackDeps, push: WechatPush, eventId: string): Promise<void> {
  const { repo, clock, lifecycle, messaging } = deps
  const customerId = asUserId(`${WECHAT_USER_PREFIX}${push.FromUserName}`)
  const displayName = `WeChat user ${push.FromUserName.slice(-4)}`
  await repo.upsertCustomer(
    {
      id: customerId,
      displayName,
      vipLevel: 0,
      lastPurchaseAt: null,
      platform: 'wechat',
      isGuest: false,
      language: null,
    },
    clock.now(),
  )
  await repo.openReplyWindow(customerId, push.CreateTime * 1000)
  const session: Session = { userId: customerId, role: 'customer', displayName, teams: [], isGuest: false }
  const conversation = await lifecycle.open(session, Channel.WeChat, DeliveryRoute.WechatCustomerService)
  const outgoing = toMessage(push)
  if (outgoing)
    await messaging.send(session, {
      conversationId: conversation.id,
      cid: asClientMessageId(`wx_${eventId}`.slice(0, 64)),
      ...outgoing,
    })
}

function toMessage(push: WechatPush): Omit<OutgoingMessage, 'conversationId' | 'cid'> | undefined {
  switch (push.MsgType) {
    case 'text':
      return { kind: 'text', body: pushedText(push.Content ?? '') }
    case 'image':
      return {
        kind: 'image',
        body: '',
        ...(push.PicUrl ? { attachment: { url: push.PicUrl, mime: 'image/jpeg' } } : {}),
      }
    case 'event':
      // Entering the chat (user_enter_tempsession) opens the conversation; there is no text to store.
      return undefined
    default:
      return { kind: 'text', body: `[${push.MsgType} message: open WeChat to view]` }
  }
}
