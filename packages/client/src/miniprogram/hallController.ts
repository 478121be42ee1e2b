import {
  AvatarMotion,
  type BridgeState,
  type Cancel,
  type ChatSession,
  createHallLayout,
  type FloorPoint,
  formatPrice,
  type HallLayout,
  type HallStateReply,
  HallStateReplySchema,
  type Pose,
  type Product,
  ProductsReplySchema,
} from '@kefu/shared'
import { PerspectiveCamera, type Scene, WebGLRenderer } from 'three'
import { conversationView, currentConversation } from '../core/conversationView'
import { createHallStore, type HallStore } from '../core/hallStore'
import type { Translate } from '../core/i18n'
import { ratingState } from '../core/rating'
import { SocketHall } from '../core/SocketHall'
import { showSpeechBubbles } from '../core/speechBubbles'
import { AvatarCrowd, crowdOf } from '../hall/scene3d/AvatarCrowd'
import { buildHallScene, followCamera } from '../hall/scene3d/hallScene'
import { deskLooks, guidance } from '../hall/scene3d/service'
import { ShowcaseDisplay } from '../hall/scene3d/showcaseDisplay'
import { walkStep } from '../hall/scene3d/walking'
import type { HallCanvas, HallHost } from '../platform/hallHost'
import type { MiniPlatform } from '../platform/mini/MiniPlatform'
import { callCarrier } from './bridgedCall'
import { type ChatView, messageRow, openMiniSession, storedSessionToken } from './chatController'
import { HallVoice } from './hallVoice'

/** What the hall page shows around its canvas. */
export interface HallPageView {
  notice: string
  /** People in the hall besides the customer. */
  others: number
  /** "Walk to Alice's desk", once the customer's agent staffs one. */
  guide: string
  /** The call button's label; '' where the device cannot call. */
  callLabel: string
  call: BridgeState
  /** The docked chat: the conversation's latest messages, oldest first. */
  chat: ChatView['messages']
  canSend: boolean
  /** Resolved and not rated yet: the docked chat shows the stars too. */
  askRating: boolean
  /** What the customer's agent presents on the showcase, with its price and where to buy it. */
  product: { name: string; price: string; link: string } | null
}

export const INITIAL_HALL_VIEW: HallPageView = {
  notice: '',
  others: 0,
  guide: '',
  callLabel: '',
  call: 'idle',
  chat: [],
  canSend: false,
  askRating: false,
  product: null,
}

const CALL_LABELS = {
  idle: 'hall.talk',
  starting: 'hall.voiceConnecting',
  live: 'hall.endVoice',
} as const satisfies Record<BridgeState, string>

// Enough to follow the conversation over the hall without hiding it.
const DOCKED_MESSAGES = 4

const TURN_RAD_PER_S = 2.2

/**
 * The 3D hall in a mini-program: the same scene as the web (shared room, avatars and layout),
 * drawn by three.js on the page's WebGL 2 canvas; poses go through the chat socket (the
 * mini-program has no WebRTC) and the server relays them into the shard's LiveKit room.
 */
export class MiniHallController {
  private session: ChatSession | undefined
  private hall: SocketHall | undefined
  private renderer: WebGLRenderer | undefined
  private canvas: HallCanvas | undefined
  private frame: number | undefined
  private readonly cancels: Cancel[] = []
  private steering = { turn: 0, walk: 0 }
  private lastFrameAt: number | undefined
  private guide: FloorPoint | undefined
  private target: FloorPoint | undefined
  private voice: HallVoice | undefined
  private showcase: ShowcaseDisplay | undefined
  private view: HallPageView = INITIAL_HALL_VIEW
  private readonly scratch: Pose = { x: 0, y: 0, z: 0, heading: 0, motion: 0, seq: 0 }

  constructor(
    private readonly platform: MiniPlatform,
    private readonly t: Translate,
    private readonly render: (view: HallPageView) => void,
  ) {}

  async start(host: HallHost, server: string): Promise<void> {
    this.show({ notice: this.t('hall.loading') })
    const token = await storedSessionToken(this.platform)
    if (!token) return this.show({ notice: this.t('hall.failed', { reason: 'no session' }) })
    const [state, catalogue] = await Promise.all([
      this.platform.request('GET', `${server}/api/hall/state`, undefined, token),
      this.platform.request('GET', `${server}/api/products`, undefined, token),
    ])
    const service = HallStateReplySchema.safeParse(state.data)
    // Without the catalogue the hall still works; the showcase then stays empty.
    const products = ProductsReplySchema.safeParse(catalogue.data).data?.products ?? []
    if (state.status !== 200 || !service.success)
      return this.show({ notice: this.t('hall.failed', { reason: String(state.status) }) })
    const layout = createHallLayout(service.data.teams)
    const store = createHallStore({ ...layout.entrance, y: 0, motion: AvatarMotion.Idle, seq: 0 })
    store.staffReception(this.t('hall.assistant'), layout.reception.botSpot)
    const session = await openMiniSession(this.platform, server, token)
    this.session = session
    if (this.platform.call) this.voice = new HallVoice(session, this.platform.call)
    const hall = new SocketHall(session, store)
    this.hall = hall
    const { scene, showDesks } = buildHallScene(layout, host.makeCanvas)
    const serve = (now: HallStateReply) => {
      showDesks(deskLooks(layout, now))
      const conversation = currentConversation(session)
      const guide = guidance(layout, now, conversation?.agentId)
      this.guide = guide?.spot
      this.show({ guide: guide ? this.t('hall.walkTo', { agent: guide.agentName }) : '' })
    }
    serve(service.data)
    const showcase = new ShowcaseDisplay(layout.showcase.at)
    this.showcase = showcase
    scene.add(showcase.group)
    const crowd = new AvatarCrowd(host.makeCanvas)
    scene.add(crowd.group)
    const self = { identity: 'me', name: this.t('who.you'), role: 'customer' as const }
    const meet = () => {
      crowd.setMembers(crowdOf(store.getState(), self))
      this.show({ notice: '', others: store.getState().remotes.size })
    }
    this.cancels.push(
      store.subscribe((now, before) => {
        if (now.roster !== before.roster) meet()
      }),
      // Bubbles are keyed by author: the own avatar is drawn under the own user id once it is known.
      session.subscribe(() => {
        const known = session.identity?.userId
        if (!known || known === self.identity) return
        self.identity = known
        meet()
      }),
      showSpeechBubbles(session, store),
      session.subscribe(() => this.showChat(session)),
      // Desks and queues as they change; a new socket (after a reconnect) watches nothing yet.
      session.onFrame((frame) => {
        if (frame.t === 'hall.state') serve(frame.state)
        // Anyone in the hall may send data: only the conversation's own agent decides its showcase.
        else if (frame.t === 'hall.showcase' && frame.from === currentConversation(session)?.agentId)
          this.present(
            products.find((product) => product.id === frame.state.productId),
            frame.state.rotation,
          )
        else if (frame.t === 'welcome') session.sendFrame({ t: 'hall.watch' })
      }),
      () => crowd.dispose(),
      () => showcase.dispose(),
    )
    meet()
    await session.start()
    hall.join()
    // A call the customer was on in the chat goes on here.
    if (await callCarrier(this.platform).take()) this.voice?.call.start()
    this.canvas = host.canvas
    this.renderer = this.createRenderer(host)
    const camera = new PerspectiveCamera(60, host.width / host.height, 0.1, 80)
    this.loop(host.canvas, layout, store, scene, camera, crowd)
  }

  /** The joystick, each axis from -1 to 1: x turns, y walks (up is forward). */
  steer(x: number, y: number): void {
    this.steering = { turn: clamp(x), walk: clamp(-y) }
    if (x !== 0 || y !== 0) this.target = undefined
  }

  toggleCall(): void {
    const call = this.voice?.call
    if (call?.state === 'idle') call.start()
    else call?.end()
    this.showCall()
  }

  /** Sends from the docked chat: the same conversation, session and outbox as the chat page's. */
  send(text: string): void {
    const session = this.session
    const conversation = session && currentConversation(session)
    if (conversation && text.trim()) session.send(conversation.id, text.trim())
  }

  /** The customer's 1-5 rating of the resolved conversation, from the docked chat. */
  rate(score: number): void {
    const session = this.session
    const conversation = session && currentConversation(session)
    if (!conversation || !Number.isInteger(score) || score < 1 || score > 5) return
    session.sendFrame({ t: 'conversation.rate', conversationId: conversation.id, score })
  }

  /** Walks the customer to their agent's desk (the guide's button). */
  walkToDesk(): void {
    this.target = this.guide && { ...this.guide }
  }

  private show(change: Partial<HallPageView>): void {
    this.view = { ...this.view, ...change }
    this.render(this.view)
  }

  private present(product: Product | undefined, rotation: number): void {
    this.showcase?.show(product, rotation)
    const card = product && { name: product.name, price: formatPrice(product), link: product.link }
    if (card?.name !== this.view.product?.name) this.show({ product: card ?? null })
  }

  private showChat(session: ChatSession): void {
    const conversation = currentConversation(session)
    const view = conversation && conversationView(session, conversation.id)
    const me = session.identity?.userId
    const rows = (view?.messages ?? []).flatMap((message) =>
      messageRow(message, me, view?.readUpTo ?? 0, this.t),
    )
    this.show({
      chat: rows.slice(-DOCKED_MESSAGES),
      canSend: conversation !== undefined,
      askRating: ratingState(conversation, view?.messages ?? []).ask,
    })
  }

  // Runs every frame: it renders only when the call's state has changed.
  private showCall(): void {
    const voice = this.voice
    const call = voice?.call.state ?? 'idle'
    if (!voice || (call === this.view.call && this.view.callLabel !== '')) return
    this.show({ call, callLabel: this.t(CALL_LABELS[call]) })
  }

  stop(): void {
    // Leaving the hall with a call on: it goes on in the chat.
    void callCarrier(this.platform).leave(this.voice?.call.conversationId)
    this.voice?.dispose()
    if (this.frame !== undefined) this.canvas?.cancelAnimationFrame(this.frame)
    this.frame = undefined
    for (const cancel of this.cancels.splice(0)) cancel()
    this.hall?.leave()
    this.session?.stop()
    this.renderer?.dispose()
  }

  /** Places the call at the agent's avatar, and shows where the call stands. */
  private hearAgent(store: HallStore, listener: Pose, now: number): void {
    this.showCall()
    const agentId = this.session && currentConversation(this.session)?.agentId
    const agent = agentId ? store.getState().remotes.get(agentId) : undefined
    this.voice?.place(agent?.poses.sample(now, this.scratch), listener)
  }

  private createRenderer(host: HallHost): WebGLRenderer {
    const renderer = new WebGLRenderer({
      canvas: host.canvas as never,
      context: host.canvas.getContext('webgl2') as never,
      antialias: true,
    })
    renderer.setPixelRatio(host.pixelRatio)
    // The page sizes the canvas; three must not touch a style it does not have.
    renderer.setSize(host.width, host.height, false)
    return renderer
  }

  private loop(
    canvas: HallCanvas,
    layout: HallLayout,
    store: HallStore,
    scene: Scene,
    camera: PerspectiveCamera,
    crowd: AvatarCrowd,
  ): void {
    const draw = (time: number) => {
      const seconds = this.lastFrameAt === undefined ? 0 : Math.min(0.1, (time - this.lastFrameAt) / 1000)
      this.lastFrameAt = time
      const self = { ...store.getState().self }
      self.heading -= this.steering.turn * TURN_RAD_PER_S * seconds
      // Forward along the heading (0 faces -z) when the joystick walks; else towards the guide's target.
      const forward = {
        x: -Math.sin(self.heading) * this.steering.walk,
        z: -Math.cos(self.heading) * this.steering.walk,
      }
      const heading = self.heading
      this.target = walkStep(layout, self, forward, this.target, seconds)
      // Walking backwards keeps facing forward; walkStep faces where it walks.
      if (this.steering.walk < 0) self.heading = heading
      store.setState({ self })
      const now = Date.now()
      this.hall?.tick(now)
      crowd.update(store.getState(), now, time / 1000)
      this.showcase?.tick(time / 1000)
      this.hearAgent(store, self, now)
      followCamera(camera, self)
      this.renderer?.render(scene, camera)
      this.frame = canvas.requestAnimationFrame(draw)
    }
    this.frame = canvas.requestAnimationFrame(draw)
  }
}

const clamp = (value: number) => Math.max(-1, Math.min(1, value))
