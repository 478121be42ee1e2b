import type { HallLayout } from '@kefu/shared'
import {
  Color,
  DirectionalLight,
  HemisphereLight,
  Mesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  type PerspectiveCamera,
  PlaneGeometry,
  Scene,
  SphereGeometry,
} from 'three'
import { buildRoomShell, teamColour } from './roomShell'
import { type DeskLook, LOOK_COLOUR } from './service'
import { type CanvasFactory, floorTexture, signTexture } from './textures'

/**
 * The whole hall as a plain three.js scene, for renderers without React (a mini-program's canvas):
 * the shared room shell, the tiled floor, the lights and each team's sign. The web hall composes
 * the same shell and signs in React, with its live extras (status lights, the hologram).
 */
export function buildHallScene(
  layout: HallLayout,
  makeCanvas: CanvasFactory,
): { scene: Scene; showDesks(looks: Readonly<Record<string, DeskLook>>): void } {
  const scene = new Scene()
  scene.background = new Color('#eef1f6')
  scene.add(new HemisphereLight('#fff7ea', '#8c8576', 1.1))
  const sun = new DirectionalLight('#fff3df', 1.6)
  sun.position.set(6, 14, 8)
  scene.add(sun)
  scene.add(buildRoomShell(layout))

  const width = layout.bounds.maxX - layout.bounds.minX
  const depth = layout.bounds.maxZ - layout.bounds.minZ
  const tiles = floorTexture(makeCanvas)
  tiles.repeat.set(width / 2, depth / 2)
  const floor = new Mesh(
    new PlaneGeometry(width, depth),
    new MeshStandardMaterial({ map: tiles, roughness: 0.85 }),
  )
  floor.rotation.x = -Math.PI / 2
  floor.name = 'floor'
  scene.add(floor)

  layout.desks.forEach((desk, index) => {
    const sign = new Mesh(
      new PlaneGeometry(2.8, 0.7),
      new MeshBasicMaterial({
        map: signTexture(makeCanvas, [desk.teamName], { background: teamColour(index), color: '#ffffff' }),
        toneMapped: false,
      }),
    )
    sign.position.set(desk.at.x, 3, desk.at.z - 1.6)
    scene.add(sign)
  })

  // Each desk's light: green when someone is free, amber when all are busy, grey when nobody staffs it.
  const lights = new Map(
    layout.desks.map((desk) => {
      const light = new Mesh(
        new SphereGeometry(0.1, 16, 12),
        new MeshStandardMaterial({
          color: LOOK_COLOUR.empty,
          emissive: LOOK_COLOUR.empty,
          emissiveIntensity: 1.2,
        }),
      )
      light.position.set(desk.box.maxX - 0.25, 1.2, desk.at.z + 0.2)
      scene.add(light)
      return [desk.teamId, light.material] as const
    }),
  )
  return {
    scene,
    showDesks(looks) {
      for (const [teamId, material] of lights) {
        const colour = LOOK_COLOUR[looks[teamId] ?? 'empty']
        material.color.set(colour)
        material.emissive.set(colour)
      }
    },
  }
}

/** The camera behind and above someone at (x, z) facing `heading`, looking where they look. */
export function followCamera(camera: PerspectiveCamera, at: { x: number; z: number; heading: number }): void {
  const [back, up] = [5.2, 3.1]
  camera.position.set(at.x + Math.sin(at.heading) * back, up, at.z + Math.cos(at.heading) * back)
  camera.lookAt(at.x - Math.sin(at.heading) * 2, 1.3, at.z - Math.cos(at.heading) * 2)
}
