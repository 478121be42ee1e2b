import { AvatarMotion, type Pose } from '@kefu/shared'
import {
  CapsuleGeometry,
  Color,
  Group,
  InstancedMesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  Object3D,
  SphereGeometry,
  Sprite,
  SpriteMaterial,
  TorusGeometry,
} from 'three'
import { ASSISTANT_IDENTITY, type AvatarRole, type HallState } from '../../core/hallStore'
import { isolated } from '../../core/i18n'
import { bubbleTexture, type CanvasFactory, signTexture } from './textures'

/** Role colours: who is who reads from across the hall. */
export const ROLE_COLOUR: Record<AvatarRole, string> = {
  customer: '#4f8cff',
  agent: '#16b67f',
  supervisor: '#f09a2e',
  bot: '#a476ff',
}
/** The most avatars one shard draws (its capacity). */
export const MAX_AVATARS = 30
/** A speech bubble's width in the hall; its height follows its lines. */
const BUBBLE_WIDTH_M = 2.2

/** Someone the crowd draws. */
export interface CrowdMember {
  identity: string
  name: string
  role: AvatarRole
  isSelf: boolean
  /** Where one who never moves stands (the reception's assistant); others' poses come from the store. */
  standsAt?: Pose
}

/** Everyone in the hall, self first, then the reception's assistant, at most `MAX_AVATARS`. */
export function crowdOf(
  state: HallState,
  self: { identity: string; name: string; role: AvatarRole },
): CrowdMember[] {
  const staff: CrowdMember[] = state.reception
    ? [
        {
          identity: ASSISTANT_IDENTITY,
          name: state.reception.name,
          role: 'bot',
          isSelf: false,
          standsAt: state.reception.pose,
        },
      ]
    : []
  const remotes = [...state.remotes.values()].slice(0, MAX_AVATARS - 1 - staff.length)
  return [{ ...self, isSelf: true }, ...staff, ...remotes.map((remote) => ({ ...remote, isSelf: false }))]
}

interface Tagged {
  /** Who, under which name and role: a change of either paints a new tag. */
  key: string
  identity: string
  tag: Sprite
  bubble: Sprite
  bubbleText: string
}

/**
 * Every avatar in the hall with four instanced meshes (bodies, heads, eyes, speaking rings), so
 * thirty cost the same few draw calls as one; name tags and speech bubbles are sprites. Plain
 * three.js with no DOM (textures are painted on the canvases `makeCanvas` gives), so the web hall
 * and a mini-program's canvas draw the same people; poses are read from the hall store each frame.
 */
export class AvatarCrowd {
  readonly group = new Group()
  private readonly bodies = new InstancedMesh(
    new CapsuleGeometry(0.28, 0.62, 6, 16),
    new MeshStandardMaterial({ roughness: 0.55 }),
    MAX_AVATARS,
  )
  private readonly heads = new InstancedMesh(
    new SphereGeometry(0.24, 24, 16),
    new MeshStandardMaterial({ color: '#f6d7bd', roughness: 0.6 }),
    MAX_AVATARS,
  )
  private readonly eyes = new InstancedMesh(
    new SphereGeometry(0.035, 10, 8),
    new MeshBasicMaterial({ color: '#1d2433' }),
    MAX_AVATARS * 2,
  )
  private readonly rings = new InstancedMesh(
    new TorusGeometry(0.45, 0.04, 8, 40),
    new MeshBasicMaterial({ toneMapped: false }),
    MAX_AVATARS,
  )
  private members: CrowdMember[] = []
  private tagged: Tagged[] = []
  private readonly scratch = { pose: blankPose(), object: new Object3D(), colour: new Color() }

  constructor(private readonly makeCanvas: CanvasFactory) {
    this.group.name = 'avatars'
    for (const mesh of this.meshes()) {
      mesh.frustumCulled = false
      mesh.count = 0
      this.group.add(mesh)
    }
  }

  /** Who is drawn (after someone came, left or changed): colours, name tags and bubbles follow. */
  setMembers(members: CrowdMember[]): void {
    this.members = members
    members.forEach((member, index) => {
      const colour = this.scratch.colour.set(ROLE_COLOUR[member.role])
      this.bodies.setColorAt(index, colour)
      this.rings.setColorAt(index, colour)
    })
    for (const mesh of [this.bodies, this.rings])
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true
    const kept = new Map(this.tagged.map((entry) => [entry.key, entry]))
    this.tagged = members.map((member) => {
      const key = [member.identity, member.name, member.role, member.isSelf].join('\u0000')
      const old = kept.get(key)
      kept.delete(key)
      if (old) return old
      const name = member.isSelf ? `${isolated(member.name)} ★` : isolated(member.name)
      const tag = new Sprite(
        new SpriteMaterial({
          map: signTexture(this.makeCanvas, [name], {
            background: ROLE_COLOUR[member.role],
            color: '#ffffff',
            width: 384,
            height: 96,
          }),
          depthTest: false,
          toneMapped: false,
        }),
      )
      tag.scale.set(1.2, 0.3, 1)
      const bubble = new Sprite(new SpriteMaterial({ depthTest: false }))
      bubble.scale.set(BUBBLE_WIDTH_M, 0.48, 1)
      bubble.visible = false
      this.group.add(tag, bubble)
      return { key, identity: member.identity, tag, bubble, bubbleText: '' }
    })
    for (const gone of kept.values()) this.drop(gone)
  }

  /** Places everyone for this frame: `now` on the pose clock, `time` (s) for the idle and walk bob. */
  update(state: HallState, now: number, time: number): void {
    const { object } = this.scratch
    this.members.forEach((member, index) => {
      const remote = member.isSelf ? undefined : state.remotes.get(member.identity)
      const pose = member.isSelf
        ? state.self
        : (member.standsAt ?? remote?.poses.sample(now, this.scratch.pose))
      const tagged = this.tagged[index]
      if (!pose) {
        // Not posed yet: out of sight until its first pose arrives.
        object.position.set(0, -50, 0)
        object.rotation.set(0, 0, 0)
        object.scale.set(1, 1, 1)
        object.updateMatrix()
        for (const mesh of [this.bodies, this.heads, this.rings]) mesh.setMatrixAt(index, object.matrix)
        this.eyes.setMatrixAt(index * 2, object.matrix)
        this.eyes.setMatrixAt(index * 2 + 1, object.matrix)
        if (tagged) tagged.tag.position.set(0, -50, 0)
        return
      }
      const walking = pose.motion === AvatarMotion.Walk
      const bob = walking ? Math.abs(Math.sin(time * 9 + index)) * 0.07 : Math.sin(time * 1.6 + index) * 0.012
      object.rotation.set(0, pose.heading, 0)
      object.scale.set(1, 1, 1)
      object.position.set(pose.x, 0.75 + bob, pose.z)
      object.updateMatrix()
      this.bodies.setMatrixAt(index, object.matrix)
      object.position.set(pose.x, 1.52 + bob, pose.z)
      object.updateMatrix()
      this.heads.setMatrixAt(index, object.matrix)
      // Eyes sit on the face, which looks where the heading points (-z at heading 0).
      const [sin, cos] = [Math.sin(pose.heading), Math.cos(pose.heading)]
      for (const side of [-1, 1]) {
        const [lx, lz] = [side * 0.09, -0.21]
        object.position.set(pose.x + lx * cos + lz * sin, 1.56 + bob, pose.z - lx * sin + lz * cos)
        object.updateMatrix()
        this.eyes.setMatrixAt(index * 2 + (side < 0 ? 0 : 1), object.matrix)
      }
      // Only someone speaking has a ring, wider the louder.
      const level = remote?.audioLevel ?? 0
      const ring = level > 0.02 ? 1 + Math.min(1, level * 3) * 0.5 : 0
      object.rotation.set(-Math.PI / 2, 0, 0)
      object.scale.set(ring, ring, ring)
      object.position.set(pose.x, 0.02, pose.z)
      object.updateMatrix()
      this.rings.setMatrixAt(index, object.matrix)
      if (tagged) this.placeLabels(tagged, state, pose, bob)
    })
    for (const mesh of this.meshes()) {
      mesh.count = mesh === this.eyes ? this.members.length * 2 : this.members.length
      mesh.instanceMatrix.needsUpdate = true
    }
  }

  dispose(): void {
    for (const entry of this.tagged) this.drop(entry)
    this.tagged = []
    for (const mesh of this.meshes()) {
      mesh.geometry.dispose()
      ;(mesh.material as MeshBasicMaterial).dispose()
    }
  }

  private placeLabels(tagged: Tagged, state: HallState, pose: Pose, bob: number): void {
    tagged.tag.position.set(pose.x, 2.05 + bob, pose.z)
    const said = state.bubbles.get(tagged.identity)
    const showing = said !== undefined && said.until > Date.now()
    tagged.bubble.visible = showing
    if (!showing) return
    if (tagged.bubbleText !== said.text) {
      tagged.bubbleText = said.text
      const material = tagged.bubble.material
      material.map?.dispose()
      const { texture, aspect } = bubbleTexture(this.makeCanvas, said.text)
      material.map = texture
      material.needsUpdate = true
      tagged.bubble.scale.set(BUBBLE_WIDTH_M, BUBBLE_WIDTH_M * aspect, 1)
    }
    // Its lower edge just above the name tag, however many lines it has.
    tagged.bubble.position.set(pose.x, 2.3 + tagged.bubble.scale.y / 2 + bob, pose.z)
  }

  private drop(entry: Tagged): void {
    for (const sprite of [entry.tag, entry.bubble]) {
      sprite.material.map?.dispose()
      sprite.material.dispose()
      this.group.remove(sprite)
    }
  }

  private meshes(): InstancedMesh[] {
    return [this.bodies, this.heads, this.eyes, this.rings]
  }
}

function blankPose(): Pose {
  return { x: 0, y: 0, z: 0, heading: 0, motion: AvatarMotion.Idle, seq: 0 }
}
