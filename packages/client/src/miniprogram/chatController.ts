import {
  type Cancel,
  ChatSession,
  type Conversation,
  CustomerSessionReplySchema,
  HistoryPageReplySchema,
  type LocalMessage,
  type SessionStatus,
  UploadReplySchema,
} from '@kefu/shared'
import { conversationView, currentConversation } from '../core/conversationView'
import { describeEvent, describeRefusal } from '../core/eventText'
import { createTranslator, type Locale, type Translate } from '../core/i18n'
import { ratingState } from '../core/rating'
import { noticeBanner } from '../core/serviceNotice'
import type { MiniFile, MiniPlatform } from '../platform/mini/MiniPlatform'
import { pcmPlayerOn } from '../platform/mini/miniAudio'
import { BridgedCall, callCarrier } from './bridgedCall'

/** What the chat component renders; plain data, because mini-program views take only that. */
export interface ChatView {
  status: SessionStatus
  headline: string
  /** The emergency playbook's banner in the customer's language, or '' while all is well. */
  banner: string
  messages: {
    key: string
    mine: boolean
    text: string
    meta: string
    isEvent: boolean
    image: string
    voice: string
    seconds: number
    /** "Not sent: why" for a message the server refused (with retry and discard beside it), else ''. */
    refused: string
  }[]
  isTyping: boolean
  canSend: boolean
  /** Live voice: offered where the platform can record and play PCM. */
  canCall: boolean
  call: 'idle' | 'starting' | 'live'
  /** Older messages exist on the server that this device has not loaded. */
  hasOlder: boolean
  /** Resolved and not rated yet: the stars are shown (one tap rates). */
  askRating: boolean
}

/** Who the customer is: a profile signed by the integrator's backend, or nobody (a guest). */
export interface ChatIdentity {
  server: string
  profile?: string | undefined
  signature?: string | undefined
  /** The integrator's choice of language ("zh-CN", "en"), over the phone's. */
  lang?: string | undefined
}

const SESSION_KEY = 'kefu.session'

/** The session token the chat keeps on the device, for other pages of the same customer (the hall). */
export const storedSessionToken = (platform: MiniPlatform): Promise<string | undefined> =>
  platform.storage.get(SESSION_KEY)

/** A chat session over the platform's socket, as the chat page and the hall page open it. */
export async function openMiniSession(
  platform: MiniPlatform,
  server: string,
  token: string,
): Promise<ChatSession> {
  const deviceId = (await platform.storage.get('kefu.device')) ?? `mp-${platform.ids.newId()}`
  await platform.storage.set('kefu.device', deviceId)
  const wsUrl = `${server.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`
  return new ChatSession({
    openTransport: () => platform.connectSocket(wsUrl),
    clock: platform.clock,
    ids: platform.ids,
    store: platform.storage,
    deviceId,
  })
}

/**
 * The mini-program chat, free of any platform: sessions, socket, outbox and the view model all
 * live here, so WeChat and Alipay differ only in their adapters and templates.
 */
export class ChatController {
  private session: ChatSession | undefined
  private readonly cancels: Cancel[] = []
  private identity: ChatIdentity | undefined
  private server = ''
  private token = ''
  private call: BridgedCall | undefined
  private readonly t: Translate

  constructor(
    private readonly platform: MiniPlatform,
    private readonly locale: Locale,
    private readonly render: (view: ChatView) => void,
  ) {
    this.t = createTranslator(locale)
  }

  async start(identity: ChatIdentity): Promise<void> {
    this.identity = identity
    const token = await this.sessionToken(identity)
    this.server = identity.server
    this.token = token
    const session = await openMiniSession(this.platform, identity.server, token)
    this.session = session
    const call = this.platform.call
    if (call)
      this.call = new BridgedCall(session, call.recorder, () => pcmPlayerOn(call.createAudioContext()))
    this.cancels.push(session.subscribe(() => this.update()))
    this.cancels.push(
      this.platform.onNetworkChange((isOnline) => {
        // Reconnect as soon as the network is back instead of waiting out the backoff.
        if (isOnline) session.reconnectNow()
      }),
    )
    await session.start()
  }

  private async sessionToken(identity: ChatIdentity): Promise<string> {
    const kept = await this.platform.storage.get(SESSION_KEY)
    if (kept && !identity.profile) return kept
    const body = identity.profile
      ? { profile: identity.profile, signature: identity.signature }
      : { channel: this.platform.channel }
    const response = await this.platform.request('POST', `${identity.server}/api/customer/session`, body)
    const issued = CustomerSessionReplySchema.safeParse(response.data)
    if (response.status !== 200 || !issued.success) throw new Error('Customer service cannot be reached')
    await this.platform.storage.set(SESSION_KEY, issued.data.token)
    return issued.data.token
  }

  send(text: string): void {
    const conversation = this.conversation()
    const trimmed = text.trim()
    if (!conversation || !trimmed || !this.session) return
    this.session.send(conversation.id, trimmed)
  }

  /** Picks, uploads and sends a photo. */
  async sendImage(): Promise<void> {
    const picked = await this.platform.media.pickImage()
    if (picked) await this.sendMedia('image', picked)
  }

  startVoiceNote(): void {
    this.platform.media.startRecording()
  }

  /** Stops the recording, uploads it and sends it as a voice note. */
  async finishVoiceNote(): Promise<void> {
    const recorded = await this.platform.media.stopRecording()
    await this.sendMedia('voice', recorded, recorded.durationMs)
  }

  /** Loads the page of history before the oldest message shown. */
  async loadOlder(): Promise<void> {
    const conversation = this.conversation()
    if (!conversation || !this.session) return
    const before = this.session.log(conversation.id).oldestLoadedSeq
    const url = `${this.server}/api/conversations/${conversation.id}/messages?before=${before}&limit=50`
    const response = await this.platform.request('GET', url, undefined, this.token)
    const page = HistoryPageReplySchema.safeParse(response.data)
    if (response.status === 200 && page.success) this.session.mergeOlder(conversation.id, page.data.messages)
  }

  /** Starts a voice call through the server's bridge: voice for the conversation, then the microphone. */
  startCall(): void {
    this.call?.start()
    this.update()
  }

  endCall(): void {
    this.call?.end()
    this.update()
  }

  /** Stepping into the hall: a call goes along (the hall page calls again). */
  async leaveForHall(): Promise<void> {
    await callCarrier(this.platform).leave(this.call?.conversationId)
    this.endCall()
  }

  /** Back from the hall: a call that was on there goes on here. */
  async resumeCarriedCall(): Promise<void> {
    const carried = await callCarrier(this.platform).take()
    if (carried && carried === this.conversation()?.id) this.startCall()
  }

  play(url: string): void {
    this.platform.media.playAudio(url)
  }

  preview(url: string): void {
    this.platform.media.previewImage(url)
  }

  private async sendMedia(kind: 'image' | 'voice', file: MiniFile, durationMs?: number): Promise<void> {
    const conversation = this.conversation()
    if (!conversation || !this.session) return
    const response = await this.platform.upload(`${this.server}/api/uploads`, file, this.token)
    const stored = UploadReplySchema.safeParse(response.data)
    if (response.status !== 200 || !stored.success) throw new Error('The file could not be sent')
    const { url, mime, bytes } = stored.data
    const attachment = { url, mime, bytes, ...(durationMs ? { durationMs } : {}) }
    this.session.send(conversation.id, '', { kind, attachment })
  }

  /** The customer's 1-5 rating of the resolved conversation. */
  rate(score: number): void {
    const conversation = this.conversation()
    if (!conversation || !Number.isInteger(score) || score < 1 || score > 5) return
    this.session?.sendFrame({ t: 'conversation.rate', conversationId: conversation.id, score })
  }

  /** Sends a refused message again, as it was. */
  retry(cid: string): void {
    const conversation = this.conversation()
    if (conversation) this.session?.retry(conversation.id, cid)
  }

  /** Forgets a refused message. */
  discard(cid: string): void {
    const conversation = this.conversation()
    if (conversation) this.session?.discard(conversation.id, cid)
  }

  setTyping(isTyping: boolean): void {
    const conversation = this.conversation()
    if (conversation) this.session?.setTyping(conversation.id, isTyping)
  }

  stop(): void {
    this.call?.dispose()
    for (const cancel of this.cancels.splice(0)) cancel()
    this.session?.stop()
  }

  private conversation(): Conversation | undefined {
    return this.session && currentConversation(this.session)
  }

  // An ended session (expired, or its account gone) is replaced by a new one; the outbox is kept.
  private async renewSession(): Promise<void> {
    const identity = this.identity
    if (!identity) return
    this.stop()
    await this.platform.storage.remove(SESSION_KEY)
    await this.start(identity)
  }

  private update(): void {
    const session = this.session
    if (!session) return
    if (session.status === 'signed_out') {
      void this.renewSession()
      return
    }
    const conversation = this.conversation()
    if (session.status === 'online' && !conversation) session.openConversation()
    if (conversation && session.status === 'online') session.markRead(conversation.id)
    const me = session.identity?.userId
    const view = conversation && conversationView(session, conversation.id)
    this.render({
      status: session.status,
      headline: headline(session, conversation, view?.agentName, this.t),
      banner: noticeBanner(session.notice, this.locale) ?? '',
      messages: (view?.messages ?? []).flatMap((message) =>
        messageRow(message, me, view?.readUpTo ?? 0, this.t),
      ),
      isTyping: view?.isSomeoneTyping ?? false,
      canSend: conversation !== undefined,
      canCall: session.features.voice && this.platform.call !== undefined && conversation !== undefined,
      call: this.call?.state ?? 'idle',
      hasOlder: view?.hasOlder ?? false,
      askRating: ratingState(conversation, view?.messages ?? []).ask,
    })
  }
}

function headline(
  session: ChatSession,
  conversation: Conversation | undefined,
  agentName: string | undefined,
  t: Translate,
): string {
  if (session.status !== 'online') return t(`status.${session.status}`)
  if (!conversation) return t('headline.routing')
  if (conversation.state === 'queued' || conversation.state === 'reopened') {
    const position = session.waiting.get(conversation.id)?.position
    return position ? t('headline.position', { position, ahead: position - 1 }) : t('headline.finding')
  }
  if (conversation.state === 'resolved' || conversation.state === 'abandoned') return t('headline.ended')
  return agentName ? t('headline.chatting', { agent: agentName }) : t('headline.chattingUnnamed')
}

/** A message as a row of the chat (none for an event that is a record, not news). */
export function messageRow(
  message: LocalMessage,
  me: string | undefined,
  readUpTo: number,
  t: Translate,
): ChatView['messages'] {
  // Events are lines of the history; the service's own messages (a greeting) are said, like people's.
  const isEvent = message.kind === 'event'
  const eventLine = isEvent ? describeEvent(message.body, t) : undefined
  // An event that is a record, not news (the conversation's creation), has no row.
  if (isEvent && eventLine === undefined) return []
  const time = new Date(message.createdAt)
  const clock = `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`
  const url = message.attachment?.url ?? ''
  const mine = message.authorId === me
  const failure = message.seq === null ? message.failure : undefined
  let meta = clock
  if (message.seq === null) meta = `${clock} ${t('message.sending')}`
  else if (mine && message.seq <= readUpTo) meta = `${clock} ${t('message.read')}`
  return [
    {
      key: message.cid,
      mine,
      text: eventLine ?? message.body,
      meta: failure ? '' : meta,
      isEvent,
      image: message.kind === 'image' ? url : '',
      voice: message.kind === 'voice' ? url : '',
      seconds: Math.max(1, Math.round((message.attachment?.durationMs ?? 0) / 1000)),
      refused: failure ? describeRefusal(failure.code, t) : '',
    },
  ]
}
