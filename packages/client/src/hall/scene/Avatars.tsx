import { AvatarMotion, type Pose } from '@kefu/shared'
import { useFrame } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { Color, type InstancedMesh, Matrix4, Object3D, type Sprite, type SpriteMaterial } from 'three'
import { useStore } from 'zustand'
import type { AvatarRole, HallStore } from '../../core/hallStore'
import { isolated } from '../../core/i18n'
import { signTexture } from './textures'

/** Role colours: who is who reads from across the hall. */
export const ROLE_COLOUR: Record<AvatarRole, string> = {
  customer: '#4f8cff',
  agent: '#16b67f',
  supervisor: '#f09a2e',
  bot: '#a476ff',
}
/** The most avatars one shard draws (its capacity). */
export const MAX_AVATARS = 30

interface Drawn {
  identity: string
  name: string
  role: AvatarRole
  isSelf: boolean
}

/**
 * Every avatar in the hall with four instanced meshes (bodies, heads, eyes, speaking rings), so
 * thirty cost the same few draw calls as one; name tags and speech bubbles are sprites. Poses are
 * read from the store inside the frame loop, never through React.
 */
export function Avatars({
  store,
  self,
}: {
  store: HallStore
  self: { identity: string; name: string; role: AvatarRole }
}) {
  const roster = useStore(store, (state) => state.roster)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the roster revision is what changes.
  const drawn = useMemo<Drawn[]>(() => {
    const remotes = [...store.getState().remotes.values()].slice(0, MAX_AVATARS - 1)
    return [{ ...self, isSelf: true }, ...remotes.map((remote) => ({ ...remote, isSelf: false }))]
  }, [roster, store, self])
  const bodies = useRef<InstancedMesh>(null)
  const heads = useRef<InstancedMesh>(null)
  const eyes = useRef<InstancedMesh>(null)
  const rings = useRef<InstancedMesh>(null)
  const tags = useRef<(Sprite | null)[]>([])
  const bubbles = useRef<(Sprite | null)[]>([])
  const scratch = useMemo(
    () => ({ pose: blankPose(), object: new Object3D(), matrix: new Matrix4(), colour: new Color() }),
    [],
  )
  const bubbleTexts = useRef<string[]>([])

  useEffect(() => {
    drawn.forEach((avatar, index) => {
      const colour = scratch.colour.set(ROLE_COLOUR[avatar.role])
      bodies.current?.setColorAt(index, colour)
      rings.current?.setColorAt(index, colour)
    })
    for (const mesh of [bodies.current, rings.current])
      if (mesh?.instanceColor) mesh.instanceColor.needsUpdate = true
  }, [drawn, scratch])

  useFrame(({ clock }) => {
    const state = store.getState()
    const now = performance.now()
    const time = clock.elapsedTime
    drawn.forEach((avatar, index) => {
      const remote = avatar.isSelf ? undefined : state.remotes.get(avatar.identity)
      const pose = avatar.isSelf ? state.self : remote?.poses.sample(now, scratch.pose)
      const { object } = scratch
      if (!pose) {
        // Not posed yet: out of sight until its first pose arrives.
        object.position.set(0, -50, 0)
        object.updateMatrix()
        for (const mesh of [bodies.current, heads.current, rings.current])
          mesh?.setMatrixAt(index, object.matrix)
        eyes.current?.setMatrixAt(index * 2, object.matrix)
        eyes.current?.setMatrixAt(index * 2 + 1, object.matrix)
        return
      }
      const walking = pose.motion === AvatarMotion.Walk
      const bob = walking ? Math.abs(Math.sin(time * 9 + index)) * 0.07 : Math.sin(time * 1.6 + index) * 0.012
      object.rotation.set(0, pose.heading, 0)
      object.scale.set(1, 1, 1)
      object.position.set(pose.x, 0.75 + bob, pose.z)
      object.updateMatrix()
      bodies.current?.setMatrixAt(index, object.matrix)
      object.position.set(pose.x, 1.52 + bob, pose.z)
      object.updateMatrix()
      heads.current?.setMatrixAt(index, object.matrix)
      // Eyes sit on the face, which looks where the heading points (-z at heading 0).
      for (const side of [-1, 1]) {
        const sin = Math.sin(pose.heading)
        const cos = Math.cos(pose.heading)
        const lx = side * 0.09
        const lz = -0.21
        object.position.set(pose.x + lx * cos + lz * sin, 1.56 + bob, pose.z - lx * sin + lz * cos)
        object.updateMatrix()
        eyes.current?.setMatrixAt(index * 2 + (side < 0 ? 0 : 1), object.matrix)
      }
      const level = remote?.audioLevel ?? 0
      const ring = 1 + Math.min(1, level * 3) * 0.5
      object.rotation.set(-Math.PI / 2, 0, 0)
      // Only someone speaking has a ring.
      const shown = level > 0.02 ? ring : 0
      object.scale.set(shown, shown, shown)
      object.position.set(pose.x, 0.02, pose.z)
      object.updateMatrix()
      rings.current?.setMatrixAt(index, object.matrix)
      const tag = tags.current[index]
      if (tag) tag.position.set(pose.x, 2.05 + bob, pose.z)
      const bubble = bubbles.current[index]
      const said = state.bubbles.get(avatar.identity)
      if (bubble) {
        const showing = said !== undefined && said.until > Date.now()
        bubble.visible = showing
        if (showing) {
          bubble.position.set(pose.x, 2.6 + bob, pose.z)
          if (bubbleTexts.current[index] !== said.text) {
            bubbleTexts.current[index] = said.text
            const material = bubble.material as SpriteMaterial
            material.map?.dispose()
            material.map = signTexture([said.text], {
              background: '#ffffff',
              color: '#1d2a44',
              width: 512,
              height: 112,
            })
            material.needsUpdate = true
          }
        }
      }
    })
    for (const mesh of [bodies.current, heads.current, eyes.current, rings.current]) {
      if (!mesh) continue
      mesh.count = mesh === eyes.current ? drawn.length * 2 : drawn.length
      mesh.instanceMatrix.needsUpdate = true
    }
  })

  return (
    <group name="avatars">
      <instancedMesh ref={bodies} args={[undefined, undefined, MAX_AVATARS]} frustumCulled={false}>
        <capsuleGeometry args={[0.28, 0.62, 6, 16]} />
        <meshStandardMaterial roughness={0.55} />
      </instancedMesh>
      <instancedMesh ref={heads} args={[undefined, undefined, MAX_AVATARS]} frustumCulled={false}>
        <sphereGeometry args={[0.24, 24, 16]} />
        <meshStandardMaterial color="#f6d7bd" roughness={0.6} />
      </instancedMesh>
      <instancedMesh ref={eyes} args={[undefined, undefined, MAX_AVATARS * 2]} frustumCulled={false}>
        <sphereGeometry args={[0.035, 10, 8]} />
        <meshBasicMaterial color="#1d2433" />
      </instancedMesh>
      <instancedMesh ref={rings} args={[undefined, undefined, MAX_AVATARS]} frustumCulled={false}>
        <torusGeometry args={[0.45, 0.04, 8, 40]} />
        <meshBasicMaterial toneMapped={false} />
      </instancedMesh>
      {drawn.map((avatar, index) => (
        <NameTag
          key={avatar.identity}
          name={avatar.isSelf ? `${isolated(avatar.name)} ★` : isolated(avatar.name)}
          role={avatar.role}
          refFn={(sprite) => {
            tags.current[index] = sprite
          }}
        />
      ))}
      {drawn.map((avatar, index) => (
        <sprite
          key={`bubble-${avatar.identity}`}
          visible={false}
          scale={[2.2, 0.48, 1]}
          ref={(sprite) => {
            bubbles.current[index] = sprite
          }}
        >
          <spriteMaterial depthTest={false} />
        </sprite>
      ))}
    </group>
  )
}

function NameTag({
  name,
  role,
  refFn,
}: {
  name: string
  role: AvatarRole
  refFn: (sprite: Sprite | null) => void
}) {
  const texture = useMemo(
    () => signTexture([name], { background: ROLE_COLOUR[role], color: '#ffffff', width: 384, height: 96 }),
    [name, role],
  )
  useEffect(() => () => texture.dispose(), [texture])
  return (
    <sprite ref={refFn} scale={[1.2, 0.3, 1]}>
      <spriteMaterial map={texture} depthTest={false} toneMapped={false} />
    </sprite>
  )
}

function blankPose(): Pose {
  return { x: 0, y: 0, z: 0, heading: 0, motion: AvatarMotion.Idle, seq: 0 }
}
