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
} from 'three'
import { buildRoomShell, teamColour } from './roomShell'
import { type CanvasFactory, floorTexture, signTexture } from './textures'

/**
 * The whole hall as a plain three.js scene, for renderers without React (a mini-program's canvas):
 * the shared room shell, the tiled floor, the lights and each team's sign. The web hall composes
 * the same shell and signs in React, with its live extras (status lights, the hologram).
 */
export function buildHallScene(layout: HallLayout, makeCanvas: CanvasFactory): Scene {
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
  return scene
}

/** The camera behind and above someone at (x, z) facing `heading`, looking where they look. */
export function followCamera(camera: PerspectiveCamera, at: { x: number; z: number; heading: number }): void {
  const [back, up] = [5.2, 3.1]
  camera.position.set(at.x + Math.sin(at.heading) * back, up, at.z + Math.cos(at.heading) * back)
  camera.lookAt(at.x - Math.sin(at.heading) * 2, 1.3, at.z - Math.cos(at.heading) * 2)
}
