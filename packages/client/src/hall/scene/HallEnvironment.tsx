import type { DeskPlace, HallLayout, Product } from '@kefu/shared'
import { useFrame } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { AdditiveBlending, DoubleSide, type Mesh } from 'three'
import { createHologramMaterial, tickHologram } from '../showcase/hologram'
import { ProductModel } from '../showcase/ProductModel'
import { floorTexture, signTexture } from './textures'

/** How a desk looks from the room: someone free to talk, everyone busy, or nobody there. */
export type DeskLook = 'available' | 'busy' | 'empty'

const LOOK_COLOUR: Record<DeskLook, string> = { available: '#22c58b', busy: '#f0a43a', empty: '#9aa3b2' }
const WALL = '#f4f1ec'
const WOOD = '#b98a5e'
const ACCENT = '#2f6fed'
const TEAM_COLOURS = ['#2f6fed', '#8a5cf6', '#13a8a8', '#e0567a', '#d9822b', '#3f9b4b']

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

/** The room itself: floor, walls, the reception, one desk per team, the waiting area and the showcase. */
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
    const texture = floorTexture()
    texture.repeat.set(width / 2, depth / 2)
    return texture
  }, [width, depth])
  const totalWaiting = Object.values(waiting).reduce((sum, count) => sum + count, 0)
  return (
    <group>
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
      {/* A runner from the entrance to the desks: where to go reads at a glance. */}
      <mesh rotation-x={-Math.PI / 2} position={[0, 0.005, 1]}>
        <planeGeometry args={[2.4, depth - 4]} />
        <meshStandardMaterial color="#d8cfc2" roughness={0.9} />
      </mesh>
      <Walls width={width} depth={depth} />
      <CeilingLights width={width} depth={depth} />
      {layout.desks.map((desk, index) => (
        <TeamDesk
          key={desk.teamId}
          desk={desk}
          colour={TEAM_COLOURS[index % TEAM_COLOURS.length] ?? ACCENT}
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
      {[
        [bounds.minX + 0.8, bounds.minZ + 0.8],
        [bounds.maxX - 0.8, bounds.minZ + 0.8],
        [bounds.minX + 0.8, bounds.maxZ - 2.5],
        [bounds.maxX - 0.8, bounds.maxZ - 2.5],
      ].map(([x, z]) => (
        <Plant key={`${x},${z}`} x={x ?? 0} z={z ?? 0} />
      ))}
    </group>
  )
}

function Walls({ width, depth }: { width: number; depth: number }) {
  const height = 4.2
  const doorWidth = 4
  const side = (width - doorWidth) / 2
  return (
    <group>
      <mesh position={[0, height / 2, -depth / 2]}>
        <boxGeometry args={[width, height, 0.2]} />
        <meshStandardMaterial color={WALL} />
      </mesh>
      <mesh position={[0, 2.6, -depth / 2 + 0.12]}>
        <boxGeometry args={[width, 0.12, 0.04]} />
        <meshStandardMaterial color={ACCENT} emissive={ACCENT} emissiveIntensity={0.6} />
      </mesh>
      {[-1, 1].map((sign) => (
        <mesh key={sign} position={[(sign * width) / 2, height / 2, 0]}>
          <boxGeometry args={[0.2, height, depth]} />
          <meshStandardMaterial color={WALL} />
        </mesh>
      ))}
      {/* The front wall, with the entrance in the middle. */}
      {[-1, 1].map((sign) => (
        <mesh key={`front${sign}`} position={[(sign * (doorWidth + side)) / 2, height / 2, depth / 2]}>
          <boxGeometry args={[side, height, 0.2]} />
          <meshStandardMaterial color={WALL} />
        </mesh>
      ))}
      <mesh position={[0, height - 0.4, depth / 2]}>
        <boxGeometry args={[doorWidth, 0.8, 0.2]} />
        <meshStandardMaterial color={WALL} />
      </mesh>
    </group>
  )
}

function CeilingLights({ width, depth }: { width: number; depth: number }) {
  const spots = [-1, 0, 1].flatMap((ix) =>
    [-1, 1].map((iz) => [(ix * width) / 3.2, (iz * depth) / 4] as const),
  )
  return (
    <group>
      {spots.map(([x, z]) => (
        <group key={`${x},${z}`} position={[x, 4, z]}>
          <mesh>
            <cylinderGeometry args={[0.55, 0.55, 0.06, 24]} />
            <meshStandardMaterial color="#ffffff" emissive="#fff6e0" emissiveIntensity={1.5} />
          </mesh>
          <pointLight intensity={6} distance={11} decay={1.6} color="#fff1d6" position={[0, -0.3, 0]} />
        </group>
      ))}
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
  const depth = desk.box.maxZ - desk.box.minZ
  const sign = useMemo(
    () => signTexture([desk.teamName], { background: colour, color: '#ffffff', width: 512, height: 128 }),
    [desk.teamName, colour],
  )
  const status = useMemo(
    () =>
      signTexture([waiting > 0 ? `${statusLabel} · ${waiting}` : statusLabel], {
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
      <mesh position={[0, 0.5, 0]}>
        <boxGeometry args={[width, 1, depth]} />
        <meshStandardMaterial color="#fbfaf7" roughness={0.6} />
      </mesh>
      <mesh position={[0, 1.03, 0]}>
        <boxGeometry args={[width + 0.1, 0.06, depth + 0.1]} />
        <meshStandardMaterial color={WOOD} roughness={0.5} />
      </mesh>
      <mesh position={[0, 0.45, depth / 2 + 0.01]}>
        <planeGeometry args={[width * 0.9, 0.1]} />
        <meshStandardMaterial color={colour} emissive={colour} emissiveIntensity={0.8} />
      </mesh>
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
      {[-1, 1].map((side) => (
        <mesh key={side} position={[side * 1.5, 1.6, -1.65]}>
          <cylinderGeometry args={[0.03, 0.03, 3.2, 8]} />
          <meshStandardMaterial color="#8b94a5" metalness={0.6} roughness={0.3} />
        </mesh>
      ))}
    </group>
  )
}

function Reception({ at, label }: { at: { x: number; z: number }; label: string }) {
  const sign = useMemo(
    () => signTexture([label], { background: '#1d2a44', color: '#ffffff', accent: ACCENT }),
    [label],
  )
  useEffect(() => () => sign.dispose(), [sign])
  return (
    <group position={[at.x, 0, at.z]}>
      <mesh position={[0, 0.55, 0]}>
        <cylinderGeometry args={[1.9, 1.9, 1.1, 48, 1, false, Math.PI * 0.15, Math.PI * 0.7]} />
        <meshStandardMaterial color="#fbfaf7" side={DoubleSide} />
      </mesh>
      <mesh position={[0, 0.55, -0.6]}>
        <boxGeometry args={[3.4, 1.1, 0.5]} />
        <meshStandardMaterial color="#fbfaf7" />
      </mesh>
      <mesh position={[0, 1.13, -0.6]}>
        <boxGeometry args={[3.5, 0.06, 0.6]} />
        <meshStandardMaterial color={WOOD} />
      </mesh>
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
      signTexture(content.split('\n'), {
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
      {[0, 1.4].map((dz) => (
        <mesh key={dz} position={[at.x, 0.25, at.z + dz]}>
          <boxGeometry args={[4, 0.5, 0.6]} />
          <meshStandardMaterial color="#5b6b8c" roughness={0.7} />
        </mesh>
      ))}
      <mesh position={[at.x, 0.02, at.z + 0.7]} rotation-x={-Math.PI / 2}>
        <planeGeometry args={[5, 3.2]} />
        <meshStandardMaterial color="#c9d6ec" roughness={0.95} />
      </mesh>
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
  const sign = useMemo(() => signTexture([label], { background: '#0f1b33', color: '#7fe7ff' }), [label])
  useEffect(() => () => sign.dispose(), [sign])
  const hologram = useHologram('#4fd8ff')
  useFrame((_state, delta) => {
    if (product.current) product.current.rotation.y += delta * 0.6
  })
  return (
    <group position={[at.x, 0, at.z]}>
      <mesh position={[0, 0.45, 0]}>
        <cylinderGeometry args={[0.85, 0.95, 0.9, 40]} />
        <meshStandardMaterial color="#1b2438" metalness={0.4} roughness={0.35} />
      </mesh>
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

function Plant({ x, z }: { x: number; z: number }) {
  return (
    <group position={[x, 0, z]}>
      <mesh position={[0, 0.3, 0]}>
        <cylinderGeometry args={[0.3, 0.24, 0.6, 16]} />
        <meshStandardMaterial color="#eae4da" />
      </mesh>
      <mesh position={[0, 1.1, 0]}>
        <icosahedronGeometry args={[0.55, 1]} />
        <meshStandardMaterial color="#3f8f5a" roughness={0.8} flatShading />
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
