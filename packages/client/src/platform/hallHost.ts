/** A canvas to paint a texture on: a DOM canvas on the web, an offscreen one in a mini-program. */
export interface PaintCanvas {
  width: number
  height: number
  getContext(type: '2d'): unknown
}
export type CanvasFactory = (width: number, height: number) => PaintCanvas

/** What a mini-program's `<canvas type="webgl2">` node offers the hall. */
export interface HallCanvas {
  width: number
  height: number
  getContext(type: 'webgl2'): unknown
  requestAnimationFrame(callback: (time: number) => void): number
  cancelAnimationFrame(id: number): void
}

/** The page's canvas, its size in layout pixels, and how the platform paints textures. */
export interface HallHost {
  canvas: HallCanvas
  width: number
  height: number
  pixelRatio: number
  makeCanvas: CanvasFactory
}
