import type { CanvasFactory } from '../../platform/hallHost'

/** The web hall paints its textures on DOM canvases. */
export const domCanvas: CanvasFactory = (width, height) => {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return canvas
}
