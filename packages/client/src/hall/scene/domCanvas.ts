import type { CanvasFactory } from '../scene3d/textures'

/** The web hall paints its textures on DOM canvases. */
export const domCanvas: CanvasFactory = (width, height) => {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return canvas
}
