import type { HallStateReplySchema } from '@kefu/shared'
import {
  AvatarMotion,
  type ConversationId,
  createHallLayout,
  type HallLayout,
  type Pose,
  type Product,
} from '@kefu/shared'
import { Canvas } from '@react-three/fiber'
import { useEffect, useMemo, useState } from 'react'
import type { z } from 'zod'
import { useStore } from 'zustand'
import { conversationView } from '../core/conversationView'
import { type AvatarRole, createHallStore, type HallStore } from '../core/hallStore'
import { showSpeechBubbles } from '../core/speechBubbles'
import { api } from '../net/api'
import { t } from '../platform/web/webLocale'
import { type LiveSession, useSessionState } from '../state/useChatSession'
import { auditionTone } from './audio/audition'
import { SpatialCall } from './audio/SpatialCall'
import type { HearingMode } from './audio/voiceGraph'
import { HallConnection } from './HallConnection'
import { HallVoiceButton } from './HallVoiceButton'
import { Joystick } from './Joystick'
import { Avatars } from './scene/Avatars'
import { HallEnvironment } from './scene/HallEnvironment'
import { Player, type PlayerInput, useKeyboard } from './scene/Player'
import { deskLooks, guidance } from './scene3d/service'
import { PresentPanel, ProductCard } from './showcase/ShowcaseControls'

type HallServiceState = z.infer<typeof HallStateReplySchema>

export interface HallViewProps {
  live: LiveSession
  token: string
  /** The conversation whose chat is docked beside the hall. */
  conversationId: ConversationId | undefined
  /** The docked chat, drawn by the page that opened the hall (same session, same history). */
  chat: React.ReactNode
  onLeave(): void
}

/**
 * The 3D service hall: the room, everyone's avatars, the own avatar to walk with, and the
 * conversation's chat docked beside it. Loaded as its own chunk: the chat page never downloads
 * three.js.
 */
export default function HallView({ live, token, conversationId, chat, onLeave }: HallViewProps) {
  const identity = useSessionState(live, (state) => state.identity)
  const [service, setService] = useState<HallServiceState>()
  const [failure, setFailure] = useState<string>()
  useEffect(() => {
    const { session } = live
    let current = true
    // The first picture comes by REST; every change after it is pushed over the socket.
    api.hallState(token).then(
      (state) => current && setService(state),
      () => undefined,
    )
    const watch = () => session.sendFrame({ t: 'hall.watch' })
    const stop = session.onFrame((frame) => {
      if (frame.t === 'hall.state') setService(frame.state)
      // A new socket (after a reconnect) watches nothing yet.
      else if (frame.t === 'welcome') watch()
    })
    watch()
    return () => {
      current = false
      stop()
      session.sendFrame({ t: 'hall.unwatch' })
    }
  }, [live, token])
  if (!identity || !service) return <div className="hall-shell panel">{t('hall.loading')}</div>
  return (
    <div className="hall-shell">
      <div className="hall-stage">
        {failure ? (
          <div className="panel error">{t('hall.failed', { reason: failure })}</div>
        ) : (
          <HallScene
            live={live}
            token={token}
            conversationId={conversationId}
            service={service}
            selfRole={
              identity.role === 'customer'
                ? 'customer'
                : identity.role === 'supervisor'
                  ? 'supervisor'
                  : 'agent'
            }
            onFailure={setFailure}
          />
        )}
        <button type="button" className="hall-leave" onClick={onLeave}>
          {t('hall.leave')}
        </button>
      </div>
      <aside className="hall-chat">{chat}</aside>
    </div>
  )
}

interface SceneProps {
  live: LiveSession
  token: string
  conversationId: ConversationId | undefined
  service: HallServiceState
  selfRole: AvatarRole
  onFailure(reason: string): void
}

function HallScene({ live, token, conversationId, service, selfRole, onFailure }: SceneProps) {
  const { session } = live
  const identity = session.identity
  const teamsKey = service.teams.map((team) => `${team.id}:${team.name}`).join('|')
  // biome-ignore lint/correctness/useExhaustiveDependencies: the teams' ids and names are the layout.
  const layout = useMemo(() => createHallLayout(service.teams), [teamsKey])
  // Every welcome (each reconnect of the signal socket) brings a new identity object with the same
  // content: keyed on the object, a network blip would send the avatar back to the entrance and
  // rejoin the hall's room, and everything on screen would be rebuilt under the user's finger.
  const teamsOfSelf = identity?.teams.join('|') ?? ''
  const store = useMemo(() => {
    const hall = createHallStore(startPose(layout, selfRole, teamsOfSelf ? teamsOfSelf.split('|') : []))
    hall.staffReception(t('hall.assistant'), layout.reception.botSpot)
    return hall
  }, [layout, selfRole, teamsOfSelf])
  const input = useMemo<PlayerInput>(
    () => ({ keys: new Set(), target: undefined, joystick: { x: 0, y: 0 } }),
    [],
  )
  const connection = useMemo(() => new HallConnection(store, () => api.hallToken(token)), [store, token])
  const call = useMemo(
    () => (conversationId ? new SpatialCall(store, () => api.voiceToken(token, conversationId)) : undefined),
    [store, token, conversationId],
  )
  useEffect(() => () => void call?.leave(), [call])
  useKeyboard(input)
  useEffect(() => {
    connection
      .join()
      .catch((error: unknown) => onFailure(error instanceof Error ? error.message : String(error)))
    return () => void connection.leave()
  }, [connection, onFailure])
  useSpeechBubbles(live, store)
  useDebugHook(store, layout, connection, call)
  useSessionState(live, (state) => (conversationId ? (state.revisions[conversationId] ?? 0) : 0))

  const view = conversationId ? conversationView(session, conversationId) : undefined
  const products = useProducts(token)
  const showcase = useStore(store, (state) => state.showcase)
  const presentedProduct = products.find((product) => product.id === showcase?.productId)
  // A customer believes only their own agent's showcase.
  const presenter = selfRole === 'customer' ? (view?.conversation?.agentId ?? undefined) : undefined
  useEffect(() => {
    connection.trustedPresenter = presenter
  }, [connection, presenter])
  const audience = selfRole === 'agent' && view?.conversation ? [view.conversation.customerId] : undefined
  const guide =
    selfRole === 'customer' ? guidance(layout, service, view?.conversation?.agentId ?? undefined) : undefined
  const position = view?.waiting?.position
  const looks = deskLooks(layout, service)
  return (
    <>
      <Canvas
        style={{ position: 'absolute', inset: 0 }}
        dpr={[1, 1.5]}
        camera={{ fov: 55, position: [0, 5, 14], near: 0.1, far: 80 }}
      >
        <color attach="background" args={['#eef1f6']} />
        <fog attach="fog" args={['#eef1f6', 22, 48]} />
        <HallEnvironment
          layout={layout}
          looks={looks}
          waiting={service.waiting}
          myPlace={position ? t('hall.myPlace', { position }) : undefined}
          labels={{
            waiting: t('hall.waiting'),
            reception: t('hall.reception'),
            showcase: t('hall.showcase'),
            deskStatus: {
              available: t('hall.deskAvailable'),
              busy: t('hall.deskBusy'),
              empty: t('hall.deskEmpty'),
            },
          }}
          onFloorPointer={(point) => {
            input.target = point
          }}
          presented={presentedProduct && { product: presentedProduct, rotation: showcase?.rotation ?? 0 }}
          conversationDesk={conversationDesk(
            layout,
            service,
            selfRole,
            identity?.teams ?? [],
            view?.conversation?.agentId,
          )}
        />
        {guide && <GuidePath store={store} to={guide.spot} />}
        <Avatars
          store={store}
          self={{ identity: identity?.userId ?? 'me', name: identity?.displayName ?? '', role: selfRole }}
        />
        <Player
          store={store}
          layout={layout}
          input={input}
          view={selfRole === 'customer' ? 'towards-desks' : 'towards-entrance'}
          onFrame={(now) => {
            connection.tick(now)
            call?.tick(now)
          }}
        />
      </Canvas>
      <div className="hall-hint">{t('hall.help')}</div>
      {guide && (
        <button type="button" className="hall-guide" onClick={() => (input.target = { ...guide.spot })}>
          {t('hall.walkTo', { agent: guide.agentName })}
        </button>
      )}
      <Joystick input={input} />
      {audience && products.length > 0 && (
        <PresentPanel
          products={products}
          productId={showcase?.productId ?? null}
          rotation={showcase?.rotation ?? 0}
          onChange={(productId, rotation) => connection.present({ productId, rotation }, audience)}
        />
      )}
      {selfRole === 'customer' && presentedProduct && <ProductCard product={presentedProduct} />}
      {call && view?.conversation && (
        <HallVoiceButton live={live} call={call} conversation={view.conversation} role={selfRole} />
      )}
    </>
  )
}

function useProducts(token: string): readonly Product[] {
  const [products, setProducts] = useState<readonly Product[]>([])
  useEffect(() => {
    let current = true
    api.products(token).then(
      (reply) => current && setProducts(reply.products),
      () => undefined,
    )
    return () => {
      current = false
    }
  }, [token])
  return products
}

// Where this conversation happens: the agent's own desk, or the desk of the customer's agent.
function conversationDesk(
  layout: HallLayout,
  service: HallServiceState,
  role: AvatarRole,
  ownTeams: readonly string[],
  agentId: string | null | undefined,
): string | undefined {
  const teams = role === 'customer' ? service.agents.find((agent) => agent.id === agentId)?.teams : ownTeams
  return layout.desks.find((desk) => teams?.some((team) => team === desk.teamId))?.teamId
}

function startPose(layout: HallLayout, role: AvatarRole, teams: readonly string[]): Pose {
  const desk = layout.desks.find((candidate) => teams.includes(candidate.teamId))
  // An agent stands behind their desk; a supervisor beside the reception, overlooking the floor.
  const overlook = {
    x: layout.reception.at.x + 2.6,
    z: layout.reception.at.z + 0.8,
    heading: layout.entrance.heading,
  }
  const spot = role === 'agent' && desk ? desk.agentSpots[0] : role === 'supervisor' ? overlook : undefined
  const at = spot ?? layout.entrance
  return { x: at.x, y: 0, z: at.z, heading: at.heading, motion: AvatarMotion.Idle, seq: 0 }
}

function GuidePath({ store, to }: { store: HallStore; to: { x: number; z: number } }) {
  const from = store.getState().self
  const dx = to.x - from.x
  const dz = to.z - from.z
  const length = Math.hypot(dx, dz)
  if (length < 0.5) return null
  return (
    <mesh
      position={[(from.x + to.x) / 2, 0.015, (from.z + to.z) / 2]}
      rotation={[-Math.PI / 2, 0, Math.atan2(dx, dz)]}
    >
      <planeGeometry args={[0.35, length]} />
      <meshBasicMaterial color="#2f6fed" transparent opacity={0.55} toneMapped={false} />
    </mesh>
  )
}

// Every chat message also shows for a moment over the avatar of whoever sent it.
function useSpeechBubbles(live: LiveSession, store: HallStore): void {
  useEffect(() => showSpeechBubbles(live.session, store), [live, store])
}

/** A read-only view of the hall for browser tests: who is here and where. */
function useDebugHook(
  store: HallStore,
  layout: HallLayout,
  connection: HallConnection,
  call: SpatialCall | undefined,
): void {
  useEffect(() => {
    const scratch: Pose = { x: 0, y: 0, z: 0, heading: 0, motion: AvatarMotion.Idle, seq: 0 }
    const hook = {
      room: () => connection.roomName,
      self: () => ({ ...store.getState().self }),
      remotes: () =>
        [...store.getState().remotes.values()].map((remote) => {
          const pose = remote.poses.sample(performance.now(), scratch)
          return { identity: remote.identity, name: remote.name, role: remote.role, x: pose?.x, z: pose?.z }
        }),
      bubbles: () =>
        Object.fromEntries([...store.getState().bubbles].map(([who, bubble]) => [who, bubble.text])),
      badPoses: () => store.getState().badPoses,
      traffic: () => ({ ...connection.stats }),
      voices: () => call?.describe() ?? [],
      audition: (x: number, z: number, mode: HearingMode = 'hrtf') =>
        auditionTone(store.getState().self, { x, z }, mode),
      desks: () => layout.desks.map((desk) => ({ teamId: desk.teamId, ...desk.customerSpot })),
      showcase: () => store.getState().showcase,
      reception: () => store.getState().reception,
    }
    ;(window as unknown as { __kefuHall?: typeof hook }).__kefuHall = hook
    return () => {
      delete (window as unknown as { __kefuHall?: typeof hook }).__kefuHall
    }
  }, [store, layout, connection, call])
}
