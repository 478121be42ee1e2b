import type { FloorPoint, Product } from '@kefu/shared'
import { Group, type ShaderMaterial } from 'three'
import { createHologramMaterial, tickHologram } from '../showcase/hologram'
import { buildProductModel, disposeProductModel } from './productModel'

/** Above the showcase's pedestal, and larger than life: seen from across the hall. */
const HOLOGRAM_HEIGHT_M = 1.7
const HOLOGRAM_SCALE = 1.5

/**
 * The product an agent presents, as a hologram over the showcase's pedestal, for hosts that draw
 * the scene without React (the mini-program); the web's showcase draws the same model.
 */
export class ShowcaseDisplay {
  readonly group = new Group()
  private shown: { product: Product; model: Group; material: ShaderMaterial } | undefined

  constructor(at: FloorPoint) {
    this.group.position.set(at.x, HOLOGRAM_HEIGHT_M, at.z)
    this.group.scale.setScalar(HOLOGRAM_SCALE)
    this.group.name = 'presented-product'
  }

  /** Shows `product` turned by `rotation` radians, or nothing. */
  show(product: Product | undefined, rotation: number): void {
    if (this.shown?.product.id !== product?.id) {
      this.clear()
      if (product) {
        const material = createHologramMaterial(product.colour)
        const model = buildProductModel(product.shape, material)
        this.group.add(model)
        this.shown = { product, model, material }
      }
    }
    this.group.rotation.y = rotation
  }

  tick(seconds: number): void {
    if (this.shown) tickHologram(this.shown.material, seconds)
  }

  dispose(): void {
    this.clear()
  }

  private clear(): void {
    if (!this.shown) return
    this.group.remove(this.shown.model)
    disposeProductModel(this.shown.model)
    this.shown.material.dispose()
    this.shown = undefined
  }
}
