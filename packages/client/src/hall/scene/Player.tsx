import { clampInside, type FloorPoint, type HallLayout } from '@kefu/shared'
import { useFrame, useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { Vector3 } from 'three'
import type { HallStore } from '../../core/hallStore'
import { walkStep } from '../scene3d/walking'

/** What moves the own avatar: keys held, a point to walk to, a joystick's direction. */
export interface PlayerInput {
  keys: Set<string>
  target: FloorPoint | undefined
  /** -1..1 on each axis, from the touch joystick; x to the right, y towards the desks. */
  joystick: { x: number; y: number }
}

// The camera sits behind and above the avatar, looking towards the desks.
const CAMERA_BACK_M = 6.5
const CAMERA_UP_M = 4.6

const KEY_DIRECTION: Record<string, FloorPoint> = {
  KeyW: { x: 0, z: -1 },
  ArrowUp: { x: 0, z: -1 },
  KeyS: { x: 0, z: 1 },
  ArrowDown: { x: 0, z: 1 },
  KeyA: { x: -1, z: 0 },
  ArrowLeft: { x: -1, z: 0 },
  KeyD: { x: 1, z: 0 },
  ArrowRight: { x: 1, z: 0 },
}

/** Keyboard input for the hall, while it is on screen. */
export function useKeyboard(input: PlayerInput): void {
  useEffect(() => {
    const isTyping = (event: KeyboardEvent) =>
      event.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)
    const down = (event: KeyboardEvent) => {
      if (isTyping(event) || !(event.code in KEY_DIRECTION)) return
      input.keys.add(event.code)
      input.target = undefined
      event.preventDefault()
    }
    const up = (event: KeyboardEvent) => input.keys.delete(event.code)
    const blur = () => input.keys.clear()
    window.addEventListener('keydown', down)
    window.addEventListener('keyup', up)
    window.addEventListener('blur', blur)
    return () => {
      window.removeEventListener('keydown', down)
      window.removeEventListener('keyup', up)
      window.removeEventListener('blur', blur)
    }
  }, [input])
}

/**
 * Which way the camera looks across the hall: customers towards the desks, agents from their desk
 * towards the entrance. Keys move the avatar relative to that view.
 */
export type HallView = 'towards-desks' | 'towards-entrance'

/**
 * Moves the own avatar each frame (keys, joystick or a point clicked on the floor), never through
 * a desk or a wall, and keeps the camera behind it inside the room; `onFrame` runs after (poses out).
 */
export function Player({
  store,
  layout,
  input,
  view,
  onFrame,
}: {
  store: HallStore
  layout: HallLayout
  input: PlayerInput
  view: HallView
  onFrame(now: number): void
}) {
  // +1: the camera is south of the avatar looking north (-z); -1: the other way round.
  const side = view === 'towards-desks' ? 1 : -1
  const { camera } = useThree()
  const look = useMemo(() => new Vector3(), [])
  const wanted = useMemo(() => new Vector3(), [])
  useFrame((_state, delta) => {
    const self = store.getState().self
    let dx = input.joystick.x * side
    let dz = -input.joystick.y * side
    for (const code of input.keys) {
      const direction = KEY_DIRECTION[code]
      if (direction) {
        dx += direction.x * side
        dz += direction.z * side
      }
    }
    input.target = walkStep(layout, self, { x: dx, z: dz }, input.target, delta)
    // Inside the side and back walls; the front is glass, so behind a customer at the entrance the
    // camera keeps its distance outside, looking in, instead of pressing against it from above.
    const behind = self.z + side * CAMERA_BACK_M
    const eye = clampInside(layout, { x: self.x, z: behind }, 0.6)
    wanted.set(eye.x, CAMERA_UP_M, Math.max(layout.bounds.minZ + 0.6, behind))
    camera.position.lerp(wanted, Math.min(1, delta * 4))
    look.set(self.x, 1.2, self.z - side * 1.5)
    camera.lookAt(look)
    onFrame(performance.now())
  })
  return null
}
