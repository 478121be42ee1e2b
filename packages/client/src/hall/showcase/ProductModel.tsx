import type { ProductShape } from '@kefu/shared'
import { useEffect, useMemo } from 'react'
import type { Material } from 'three'
import { buildProductModel, disposeProductModel } from '../scene3d/productModel'

/** A product of the demo catalogue's shapes, in the given (hologram) material. */
export function ProductModel({ shape, material }: { shape: ProductShape; material: Material }) {
  const model = useMemo(() => buildProductModel(shape, material), [shape, material])
  useEffect(() => () => disposeProductModel(model), [model])
  return <primitive object={model} />
}
