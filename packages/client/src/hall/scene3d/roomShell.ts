import type { HallLayout } from '@kefu/shared'
import {
  BoxGeometry,
  type BufferGeometry,
  CylinderGeometry,
  DoubleSide,
  Euler,
  Group,
  IcosahedronGeometry,
  Matrix4,
  Mesh,
  MeshStandardMaterial,
  type MeshStandardMaterialParameters,
  PlaneGeometry,
  Quaternion,
  Vector3,
} from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'

export const WALL = '#f4f1ec'
export const WOOD = '#b98a5e'
export const ACCENT = '#2f6fed'
export const TEAM_COLOURS = ['#2f6fed', '#8a5cf6', '#13a8a8', '#e0567a', '#d9822b', '#3f9b4b']
export const WALL_HEIGHT = 4.2

/** The colour a team's desk is dressed in, by its place in the layout. */
export const teamColour = (index: number): string => TEAM_COLOURS[index % TEAM_COLOURS.length] ?? ACCENT

/** The surfaces of the room; each becomes one mesh however many pieces use it. */
const SURFACES = {
  wall: { color: WALL },
  // depthWrite off: what stands behind the glass is drawn through it whatever the order.
  glass: {
    color: '#d6e8f7',
    transparent: true,
    opacity: 0.2,
    roughness: 0.05,
    metalness: 0.1,
    depthWrite: false,
  },
  frame: { color: '#d9dde3', metalness: 0.5, roughness: 0.35 },
  plaza: { color: '#cfc8bc', roughness: 0.95 },
  accent: { color: ACCENT, emissive: ACCENT, emissiveIntensity: 0.6 },
  lamp: { color: '#ffffff', emissive: '#fff6e0', emissiveIntensity: 1.5 },
  counter: { color: '#fbfaf7', roughness: 0.6, side: DoubleSide },
  wood: { color: WOOD, roughness: 0.5 },
  metal: { color: '#8b94a5', metalness: 0.6, roughness: 0.3 },
  bench: { color: '#5b6b8c', roughness: 0.7 },
  rug: { color: '#c9d6ec', roughness: 0.95 },
  runner: { color: '#d8cfc2', roughness: 0.9 },
  pedestal: { color: '#1b2438', metalness: 0.4, roughness: 0.35 },
  pot: { color: '#eae4da' },
  leaves: { color: '#3f8f5a', roughness: 0.8, flatShading: true },
} satisfies Record<string, MeshStandardMaterialParameters>
type Surface = keyof typeof SURFACES | `team:${string}`

interface Piece {
  surface: Surface
  geometry: BufferGeometry
}

/**
 * Everything in the hall that never changes once it is built (walls, lamps, counters, benches,
 * plants, the showcase's pedestal), merged into one mesh per surface: about fifteen draw calls
 * for what was sixty meshes. Plain three.js with no DOM and no React, so the web hall and the
 * mini-program's canvas build the same room; signs, lights and anything live are added by each.
 */
export function buildRoomShell(layout: HallLayout): Group {
  const pieces: Piece[] = [
    ...walls(layout),
    ...lamps(layout),
    ...layout.desks.flatMap((desk, index) => teamDesk(desk, teamColour(index))),
    ...reception(layout.reception.at),
    ...waitingArea(layout.waitingArea.at),
    ...plants(layout),
    piece('pedestal', new CylinderGeometry(0.85, 0.95, 0.9, 40), [
      layout.showcase.at.x,
      0.45,
      layout.showcase.at.z,
    ]),
    piece('runner', new PlaneGeometry(2.4, depthOf(layout) - 4), [0, 0.005, 1], [-Math.PI / 2, 0]),
  ]
  const bySurface = new Map<Surface, BufferGeometry[]>()
  for (const { surface, geometry } of pieces)
    bySurface.set(surface, [...(bySurface.get(surface) ?? []), geometry])
  const shell = new Group()
  shell.name = 'room-shell'
  for (const [surface, geometries] of bySurface) {
    const merged = mergeGeometries(geometries)
    for (const geometry of geometries) geometry.dispose()
    if (!merged) continue
    const mesh = new Mesh(merged, materialOf(surface))
    mesh.name = `shell-${surface}`
    mesh.matrixAutoUpdate = false
    shell.add(mesh)
  }
  return shell
}

/** Frees the shell's geometry and materials (the hall was left). */
export function disposeRoomShell(shell: Group): void {
  shell.traverse((object) => {
    if (!(object instanceof Mesh)) return
    object.geometry.dispose()
    ;(object.material as MeshStandardMaterial).dispose()
  })
}

function materialOf(surface: Surface): MeshStandardMaterial {
  if (surface.startsWith('team:')) {
    const colour = surface.slice('team:'.length)
    return new MeshStandardMaterial({ color: colour, emissive: colour, emissiveIntensity: 0.8 })
  }
  return new MeshStandardMaterial(SURFACES[surface as keyof typeof SURFACES])
}

/** A geometry moved (and turned, in radians about x then y) to where it stands in the room. */
function piece(
  surface: Surface,
  geometry: BufferGeometry,
  [x, y, z]: readonly [number, number, number],
  [turnX, turnY]: readonly [number, number] = [0, 0],
): Piece {
  const rotation = new Quaternion().setFromEuler(new Euler(turnX, turnY, 0))
  geometry.applyMatrix4(new Matrix4().compose(new Vector3(x, y, z), rotation, new Vector3(1, 1, 1)))
  // Merging wants one kind: icosahedra come unindexed, boxes indexed.
  const flat = geometry.index ? geometry.toNonIndexed() : geometry
  if (flat !== geometry) geometry.dispose()
  return { surface, geometry: flat }
}

const widthOf = (layout: HallLayout) => layout.bounds.maxX - layout.bounds.minX
const depthOf = (layout: HallLayout) => layout.bounds.maxZ - layout.bounds.minZ

function walls(layout: HallLayout): Piece[] {
  const [width, depth, height] = [widthOf(layout), depthOf(layout), WALL_HEIGHT]
  const doorWidth = 4
  const side = (width - doorWidth) / 2
  return [
    piece('wall', new BoxGeometry(width, height, 0.2), [0, height / 2, -depth / 2]),
    piece('accent', new BoxGeometry(width, 0.12, 0.04), [0, 2.6, -depth / 2 + 0.12]),
    ...[-1, 1].map((sign) =>
      piece('wall', new BoxGeometry(0.2, height, depth), [(sign * width) / 2, height / 2, 0]),
    ),
    // The front is a glass shopfront with the entrance in the middle, framed in metal: the
    // camera behind a customer who has just come in stands outside and looks in through it.
    ...[-1, 1].map((sign) =>
      piece('glass', new BoxGeometry(side, height, 0.06), [
        (sign * (doorWidth + side)) / 2,
        height / 2,
        depth / 2,
      ]),
    ),
    piece('glass', new BoxGeometry(doorWidth, 0.8, 0.06), [0, height - 0.4, depth / 2]),
    ...[-width / 2, -doorWidth / 2, doorWidth / 2, width / 2].map((x) =>
      piece('frame', new BoxGeometry(0.06, height, 0.08), [x, height / 2, depth / 2]),
    ),
    piece('frame', new BoxGeometry(width, 0.08, 0.08), [0, height - 0.04, depth / 2]),
    // The pavement outside the entrance, seen through the glass and under the camera there.
    piece('plaza', new PlaneGeometry(width + 12, 12), [0, -0.01, depth / 2 + 6], [-Math.PI / 2, 0]),
  ]
}

/** Where the ceiling lamps hang (their lights are added by the renderer that wants them). */
export function lampSpots(layout: HallLayout): { x: number; z: number }[] {
  const [width, depth] = [widthOf(layout), depthOf(layout)]
  return [-1, 0, 1].flatMap((ix) => [-1, 1].map((iz) => ({ x: (ix * width) / 3.2, z: (iz * depth) / 4 })))
}

function lamps(layout: HallLayout): Piece[] {
  return lampSpots(layout).map(({ x, z }) =>
    piece('lamp', new CylinderGeometry(0.55, 0.55, 0.06, 24), [x, 4, z]),
  )
}

function teamDesk(desk: HallLayout['desks'][number], colour: string): Piece[] {
  const { x, z } = desk.at
  const width = desk.box.maxX - desk.box.minX
  const depth = desk.box.maxZ - desk.box.minZ
  return [
    piece('counter', new BoxGeometry(width, 1, depth), [x, 0.5, z]),
    piece('wood', new BoxGeometry(width + 0.1, 0.06, depth + 0.1), [x, 1.03, z]),
    piece(`team:${colour}`, new PlaneGeometry(width * 0.9, 0.1), [x, 0.45, z + depth / 2 + 0.01]),
    ...[-1, 1].map((side) =>
      piece('metal', new CylinderGeometry(0.03, 0.03, 3.2, 8), [x + side * 1.5, 1.6, z - 1.65]),
    ),
  ]
}

function reception({ x, z }: { x: number; z: number }): Piece[] {
  return [
    piece('counter', new CylinderGeometry(1.9, 1.9, 1.1, 48, 1, false, Math.PI * 0.15, Math.PI * 0.7), [
      x,
      0.55,
      z,
    ]),
    piece('counter', new BoxGeometry(3.4, 1.1, 0.5), [x, 0.55, z - 0.6]),
    piece('wood', new BoxGeometry(3.5, 0.06, 0.6), [x, 1.13, z - 0.6]),
  ]
}

function waitingArea({ x, z }: { x: number; z: number }): Piece[] {
  return [
    ...[0, 1.4].map((dz) => piece('bench', new BoxGeometry(4, 0.5, 0.6), [x, 0.25, z + dz])),
    piece('rug', new PlaneGeometry(5, 3.2), [x, 0.02, z + 0.7], [-Math.PI / 2, 0]),
  ]
}

function plants(layout: HallLayout): Piece[] {
  const { bounds } = layout
  const spots = [
    [bounds.minX + 0.8, bounds.minZ + 0.8],
    [bounds.maxX - 0.8, bounds.minZ + 0.8],
    [bounds.minX + 0.8, bounds.maxZ - 2.5],
    [bounds.maxX - 0.8, bounds.maxZ - 2.5],
  ] as const
  return spots.flatMap(([x, z]) => [
    piece('pot', new CylinderGeometry(0.3, 0.24, 0.6, 16), [x, 0.3, z]),
    piece('leaves', new IcosahedronGeometry(0.55, 1), [x, 1.1, z]),
  ])
}
