import type { ProductShape } from '@kefu/shared'
import {
  BoxGeometry,
  type BufferGeometry,
  CylinderGeometry,
  Group,
  type Material,
  Mesh,
  PlaneGeometry,
  TorusGeometry,
} from 'three'

type Part = [
  geometry: BufferGeometry,
  position?: [number, number, number],
  rotation?: [number, number, number],
]

const QUARTER = Math.PI / 2

/** Each shape from a few primitives, about half a metre, centred on the origin. */
function partsOf(shape: ProductShape): Part[] {
  switch (shape) {
    case 'phone':
      return [
        [new BoxGeometry(0.42, 0.84, 0.05)],
        [new PlaneGeometry(0.36, 0.72), [0, 0.02, 0.03]],
        [new CylinderGeometry(0.04, 0.04, 0.02, 20), [0.1, 0.33, -0.04]],
      ]
    case 'headphones':
      return [
        [new TorusGeometry(0.32, 0.035, 12, 40, Math.PI), [0, 0.05, 0]],
        ...[-1, 1].map(
          (side): Part => [
            new CylinderGeometry(0.13, 0.13, 0.09, 28),
            [side * 0.32, -0.05, 0],
            [0, 0, QUARTER],
          ],
        ),
      ]
    case 'watch':
      return [
        [new CylinderGeometry(0.2, 0.2, 0.07, 36), [0, 0, 0], [QUARTER, 0, 0]],
        [new BoxGeometry(0.15, 0.9, 0.025), [0, 0, -0.02]],
      ]
    case 'speaker':
      return [
        [new CylinderGeometry(0.24, 0.27, 0.62, 36)],
        ...[-0.18, 0, 0.18].map(
          (y): Part => [new TorusGeometry(0.26, 0.012, 8, 40), [0, y, 0], [QUARTER, 0, 0]],
        ),
      ]
    case 'laptop':
      return [
        [new BoxGeometry(0.86, 0.035, 0.58), [0, -0.15, 0]],
        [new BoxGeometry(0.86, 0.56, 0.025), [0, 0.13, -0.33], [-0.25, 0, 0]],
      ]
  }
}

/**
 * A product built from primitives, so the demo catalogue needs no model files, drawn in the given
 * (hologram) material. The web's showcase and the mini-program's draw the same model.
 */
export function buildProductModel(shape: ProductShape, material: Material): Group {
  const model = new Group()
  for (const [geometry, position, rotation] of partsOf(shape)) {
    const mesh = new Mesh(geometry, material)
    if (position) mesh.position.fromArray(position)
    if (rotation) mesh.rotation.set(rotation[0], rotation[1], rotation[2])
    model.add(mesh)
  }
  return model
}

/** Frees a model's geometries (its material belongs to whoever passed it). */
export function disposeProductModel(model: Group): void {
  model.traverse((node) => {
    if (node instanceof Mesh) node.geometry.dispose()
  })
}
