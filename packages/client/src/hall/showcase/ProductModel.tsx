import type { ProductShape } from '@kefu/shared'
import type { Material } from 'three'

/**
 * A product built from a few primitives, so the demo catalogue needs no model files: each shape
 * about half a metre, centred on the origin, drawn in the given (hologram) material.
 */
export function ProductModel({ shape, material }: { shape: ProductShape; material: Material }) {
  switch (shape) {
    case 'phone':
      return (
        <group>
          <mesh material={material}>
            <boxGeometry args={[0.42, 0.84, 0.05]} />
          </mesh>
          <mesh material={material} position={[0, 0.02, 0.03]}>
            <planeGeometry args={[0.36, 0.72]} />
          </mesh>
          <mesh material={material} position={[0.1, 0.33, -0.04]}>
            <cylinderGeometry args={[0.04, 0.04, 0.02, 20]} />
          </mesh>
        </group>
      )
    case 'headphones':
      return (
        <group>
          <mesh material={material} position={[0, 0.05, 0]}>
            <torusGeometry args={[0.32, 0.035, 12, 40, Math.PI]} />
          </mesh>
          {[-1, 1].map((side) => (
            <mesh
              key={side}
              material={material}
              position={[side * 0.32, -0.05, 0]}
              rotation={[0, 0, Math.PI / 2]}
            >
              <cylinderGeometry args={[0.13, 0.13, 0.09, 28]} />
            </mesh>
          ))}
        </group>
      )
    case 'watch':
      return (
        <group>
          <mesh material={material} rotation={[Math.PI / 2, 0, 0]}>
            <cylinderGeometry args={[0.2, 0.2, 0.07, 36]} />
          </mesh>
          <mesh material={material} position={[0, 0, -0.02]}>
            <boxGeometry args={[0.15, 0.9, 0.025]} />
          </mesh>
        </group>
      )
    case 'speaker':
      return (
        <group>
          <mesh material={material}>
            <cylinderGeometry args={[0.24, 0.27, 0.62, 36]} />
          </mesh>
          {[-0.18, 0, 0.18].map((y) => (
            <mesh key={y} material={material} position={[0, y, 0]} rotation={[Math.PI / 2, 0, 0]}>
              <torusGeometry args={[0.26, 0.012, 8, 40]} />
            </mesh>
          ))}
        </group>
      )
    case 'laptop':
      return (
        <group position={[0, -0.15, 0]}>
          <mesh material={material}>
            <boxGeometry args={[0.86, 0.035, 0.58]} />
          </mesh>
          <mesh material={material} position={[0, 0.28, -0.33]} rotation={[-0.25, 0, 0]}>
            <boxGeometry args={[0.86, 0.56, 0.025]} />
          </mesh>
        </group>
      )
  }
}
