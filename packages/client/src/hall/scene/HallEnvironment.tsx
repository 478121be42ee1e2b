import type { DeskPlace, HallLayout, Product } from '@kefu/shared'
import { useFrame } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { AdditiveBlending, DoubleSide, type Mesh } from 'three'
import { buildRoomShell, disposeRoomShell, lampSpots, teamColour } from '../scene3d/roomShell'
import { type DeskLook, LOOK_COLOUR } from '../scene3d/service'
import { floorTexture, signTexture } from '../scene3d/textures'
import { createHologramMaterial, tickHologram } from '../showcase/hologram'
import { ProductModel } from '../showcase/ProductModel'
import { domCanvas } from './domCanvas'

const ACCENT = '#2f6fed'

interface EnvironmentProps {
  layout: HallLayout
  looks: Readonly<Record<string, DeskLook>>
  /** Per team: how many wait. */
  waiting: Readonly<Record<string, number>>
  /** The customer's own place in line, for the sign over the waiting area. */
  myPlace?: string | undefined
  labels: { waiting: string; reception: string; showcase: string; deskStatus: Record<DeskLook, string> }
  /** A click or tap on the floor: walk there. */
  onFloorPointer(point: { x: number; z: number }): void
  /** What the showcase presents (an agent's choice, for this conversation), if anything. */
  presented?: { product: Product; rotation: number } | undefined
  /** The desk where this conversation happens: the presented product also floats above it. */
  conversationDesk?: string | undefined
}

/**
 * The room itself: floor, walls, the reception, one desk per team, the waiting area and the
 * showcase. What never changes is the shared room shell (merged, a mesh per surface); what lives
 * (signs, status lights, the showcase's hologram) is drawn here.
 */
export function HallEnvironment({
  layout,
  looks,
  waiting,
  myPlace,
  labels,
  onFloorPointer,
  presented,
  conversationDesk,
}: EnvironmentProps) {
  const { bounds } = layout
  const width = bounds.maxX - bounds.minX
  const depth = bounds.maxZ - bounds.minZ
  const floor = useMemo(() => {
    const texture = floorTexture(domCanvas)
    texture.repeat.set(width / 2, depth / 2)
    return texture
  }, [width, depth])
  const totalWaiting = Object.values(waiting).reduce((sum, count) => sum + count, 0)
  const shell = useMemo(() => buildRoomShell(layout), [layout])
  useEffect(() => () => disposeRoomShell(shell), [shell])
  return (
    <group>
      <primitive object={shell} />
      <hemisphereLight args={['#fff7ea', '#8c8576', 1.1]} />
      <directionalLight position={[6, 14, 8]} intensity={1.6} color="#fff3df" />
      <directionalLight position={[-8, 10, -6]} intensity={0.5} color="#dfe8ff" />
      <mesh
        rotation-x={-Math.PI / 2}
        name="floor"
        onPointerDown={(event) => {
          event.stopPropagation()
          onFloorPointer({ x: event.point.x, z: event.point.z })
        }}
      >
        <planeGeometry args={[width, depth]} />
        <meshStandardMaterial map={floor} roughness={0.85} />
      </mesh>
      {lampSpots(layout).map(({ x, z }) => (
        <pointLight
          key={`${x},${z}`}
          intensity={6}
          distance={11}
          decay={1.6}
          color="#fff1d6"
          position={[x, 3.7, z]}
        />
      ))}
      {layout.desks.map((desk, index) => (
        <TeamDesk
          key={desk.teamId}
          desk={desk}
          colour={teamColour(index)}
          look={looks[desk.teamId] ?? 'empty'}
          statusLabel={labels.deskStatus[looks[desk.teamId] ?? 'empty']}
          waiting={waiting[desk.teamId] ?? 0}
        />
      ))}
      {presented &&
        layout.desks
          .filter((desk) => desk.teamId === conversationDesk)
          .map((desk) => (
            <group key={desk.teamId} position={[desk.at.x, 0, desk.at.z]} name="desk-hologram">
              <Hologram presented={presented} height={1.75} scale={0.9} />
            </group>
          ))}
      <Reception at={layout.reception.at} label={labels.reception} />
      <WaitingArea layout={layout} label={labels.waiting} count={totalWaiting} myPlace={myPlace} />
      <Showcase
        at={layout.showcase.at}
        label={presented?.product.name ?? labels.showcase}
        presented={presented}
      />
    </group>
  )
}

function TeamDesk(props: {
  desk: DeskPlace
  colour: string
  look: DeskLook
  statusLabel: string
  waiting: number
}) {
  const { desk, colour, look, statusLabel, waiting } = props
  const width = desk.box.maxX - desk.box.minX
  const sign = useMemo(
    () =>
      signTexture(domCanvas, [desk.teamName], {
        background: colour,
        color: '#ffffff',
        width: 512,
        height: 128,
      }),
    [desk.teamName, colour],
  )
  const status = useMemo(
    () =>
      signTexture(domCanvas, [waiting > 0 ? `${statusLabel} · ${waiting}` : statusLabel], {
        background: '#ffffff',
        color: LOOK_COLOUR[look],
        width: 384,
        height: 96,
      }),
    [statusLabel, look, waiting],
  )
  useEffect(() => () => sign.dispose(), [sign])
  useEffect(() => () => status.dispose(), [status])
  return (
    <group position={[desk.at.x, 0, desk.at.z]} name={`desk-${desk.teamId}`}>
      {/* The status light: green when someone is free, amber when all are busy, grey when nobody staffs it. */}
      <mesh position={[width / 2 - 0.25, 1.2, 0.2]}>
        <sphereGeometry args={[0.1, 16, 12]} />
        <meshStandardMaterial
          color={LOOK_COLOUR[look]}
          emissive={LOOK_COLOUR[look]}
          emissiveIntensity={1.2}
        />
      </mesh>
      <group position={[0, 3, -1.6]}>
        <mesh>
          <planeGeometry args={[2.8, 0.7]} />
          <meshBasicMaterial map={sign} toneMapped={false} />
        </mesh>
        <mesh position={[0, -0.62, 0]}>
          <planeGeometry args={[2, 0.5]} />
          <meshBasicMaterial map={status} toneMapped={false} />
        </mesh>
      </group>
    </group>
  )
}

function Reception({ at, label }: { at: { x: number; z: number }; label: string }) {
  const sign = useMemo(
    () => signTexture(domCanvas, [label], { background: '#1d2a44', color: '#ffffff', accent: ACCENT }),
    [label],
  )
  useEffect(() => () => sign.dispose(), [sign])
  return (
    <group position={[at.x, 0, at.z]}>
      <mesh position={[0, 2.6, -1.8]}>
        <planeGeometry args={[2.6, 0.65]} />
        <meshBasicMaterial map={sign} toneMapped={false} />
      </mesh>
    </group>
  )
}

function WaitingArea({
  layout,
  label,
  count,
  myPlace,
}: {
  layout: HallLayout
  label: string
  count: number
  myPlace?: string | undefined
}) {
  const { at } = layout.waitingArea
  const lines = myPlace ? [`${label} · ${count}`, myPlace] : [`${label} · ${count}`]
  const content = lines.join('\n')
  const sign = useMemo(
    () =>
      signTexture(domCanvas, content.split('\n'), {
        background: '#ffffff',
        color: '#1d2a44',
        accent: '#f0a43a',
        height: 160,
      }),
    [content],
  )
  useEffect(() => () => sign.dispose(), [sign])
  return (
    <group>
      <mesh position={[at.x, 2.2, at.z - 0.8]}>
        <planeGeometry args={[2.6, 0.8]} />
        <meshBasicMaterial map={sign} toneMapped={false} />
      </mesh>
    </group>
  )
}

function Showcase({
  at,
  label,
  presented,
}: {
  at: { x: number; z: number }
  label: string
  presented: { product: Product; rotation: number } | undefined
}) {
  const product = useRef<Mesh>(null)
  const sign = useMemo(
    () => signTexture(domCanvas, [label], { background: '#0f1b33', color: '#7fe7ff' }),
    [label],
  )
  useEffect(() => () => sign.dispose(), [sign])
  const hologram = useHologram('#4fd8ff')
  useFrame((_state, delta) => {
    if (product.current) product.current.rotation.y += delta * 0.6
  })
  return (
    <group position={[at.x, 0, at.z]}>
      <mesh position={[0, 0.92, 0]} rotation-x={-Math.PI / 2}>
        <ringGeometry args={[0.55, 0.8, 48]} />
        <meshBasicMaterial color="#4fd8ff" transparent opacity={0.8} blending={AdditiveBlending} />
      </mesh>
      {presented ? (
        <Hologram presented={presented} height={1.7} scale={1.5} />
      ) : (
        <mesh ref={product} position={[0, 1.7, 0]} material={hologram}>
          <torusKnotGeometry args={[0.32, 0.1, 96, 12]} />
        </mesh>
      )}
      <mesh position={[0, 1.7, 0]}>
        <cylinderGeometry args={[0.8, 0.8, 1.6, 32, 1, true]} />
        <meshBasicMaterial
          color="#3fd0ff"
          transparent
          opacity={0.08}
          side={DoubleSide}
          blending={AdditiveBlending}
          depthWrite={false}
        />
      </mesh>
      <mesh position={[0, 2.9, 0]}>
        <planeGeometry args={[1.8, 0.45]} />
        <meshBasicMaterial map={sign} toneMapped={false} />
      </mesh>
    </group>
  )
}

/** A hologram material that flickers with the clock. */
function useHologram(colour: string) {
  const hologram = useMemo(() => createHologramMaterial(colour), [colour])
  useEffect(() => () => hologram.dispose(), [hologram])
  useFrame(({ clock }) => tickHologram(hologram, clock.elapsedTime))
  return hologram
}

/** The presented product as a hologram, turned as the agent turned it. */
function Hologram({
  presented,
  height,
  scale,
}: {
  presented: { product: Product; rotation: number }
  height: number
  scale: number
}) {
  const hologram = useHologram(presented.product.colour)
  return (
    <group
      position={[0, height, 0]}
      rotation={[0, presented.rotation, 0]}
      scale={scale}
      name="presented-product"
    >
      <ProductModel shape={presented.product.shape} material={hologram} />
    </group>
  )
}
