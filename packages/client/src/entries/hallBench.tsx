// The hall with simulated avatars and no server, for `bench:hall`: ?avatars=N people walk in
// circles, their poses fed through the same store, interpolation and scene as in the real hall.
import { AvatarMotion, createHallLayout, DEMO_CATALOGUE } from '@kefu/shared'
import { Canvas, useFrame, useThree } from '@react-three/fiber'
import { useMemo } from 'react'
import { createRoot } from 'react-dom/client'
import { createHallStore, type HallStore } from '../core/hallStore'
import { Avatars } from '../hall/scene/Avatars'
import { HallEnvironment } from '../hall/scene/HallEnvironment'

const TEAMS = [
  { id: 'premium', name: 'Premium' },
  { id: 'retention', name: 'Retention' },
  { id: 'general', name: 'General support' },
]
const POSE_HZ = 15

interface BenchWindow {
  __kefuBench?: { frames: number[]; calls: number; triangles: number }
}

function Simulation({ store, count }: { store: HallStore; count: number }) {
  const { gl } = useThree()
  const bench = useMemo(() => {
    const state = { frames: [] as number[], calls: 0, triangles: 0 }
    ;(window as BenchWindow).__kefuBench = state
    return state
  }, [])
  const last = useMemo(() => ({ at: 0, poseAt: 0, seq: 0 }), [])
  useFrame(() => {
    const now = performance.now()
    if (last.at > 0) bench.frames.push(now - last.at)
    last.at = now
    bench.calls = gl.info.render.calls
    bench.triangles = gl.info.render.triangles
    if (now - last.poseAt < 1000 / POSE_HZ) return
    last.poseAt = now
    last.seq++
    for (let i = 1; i < count; i++) {
      const angle = now / 4000 + (i * Math.PI * 2) / count
      const radius = 3 + (i % 4)
      store.receivePose(
        `sim-${i}`,
        {
          x: Math.cos(angle) * radius,
          y: 0,
          z: Math.sin(angle) * radius * 0.6,
          heading: -angle,
          motion: AvatarMotion.Walk,
          seq: last.seq,
        },
        now,
      )
    }
  })
  return null
}

function BenchHall() {
  const count = Number(new URLSearchParams(location.search).get('avatars') ?? '1')
  const layout = useMemo(() => createHallLayout(TEAMS), [])
  const store = useMemo(() => {
    const created = createHallStore({ ...layout.entrance, y: 0, motion: AvatarMotion.Idle, seq: 0 })
    for (let i = 1; i < count; i++)
      created.addRemote(`sim-${i}`, `顾客 ${i}`, i % 5 === 0 ? 'agent' : 'customer')
    return created
  }, [count, layout])
  const product = DEMO_CATALOGUE[0]
  return (
    <Canvas
      dpr={1}
      camera={{ fov: 55, position: [0, 7, 13], near: 0.1, far: 80 }}
      onCreated={({ camera }) => camera.lookAt(0, 0, -2)}
    >
      <color attach="background" args={['#eef1f6']} />
      <HallEnvironment
        layout={layout}
        looks={{ premium: 'available', retention: 'busy', general: 'available' }}
        waiting={{ premium: 1, retention: 2, general: 3 }}
        labels={{
          waiting: '等候区',
          reception: '服务台',
          showcase: '产品展示',
          deskStatus: { available: '可接待', busy: '忙碌中', empty: '暂无客服' },
        }}
        onFloorPointer={() => undefined}
        presented={product && { product, rotation: 0.6 }}
      />
      <Avatars store={store} self={{ identity: 'me', name: '我', role: 'customer' }} />
      <Simulation store={store} count={count} />
    </Canvas>
  )
}

const root = document.getElementById('root')
if (root) createRoot(root).render(<BenchHall />)
