import type { CanvasFactory, HallCanvas, HallHost, PaintCanvas } from '../hallHost'

// The slice of WeChat's API the hall's canvas uses.
interface CanvasNode extends HallCanvas {
  addEventListener?: (type: string, listener: unknown) => void
  removeEventListener?: (type: string, listener: unknown) => void
}
interface WxCanvasApi {
  createSelectorQuery(): {
    select(selector: string): {
      fields(options: { node: true; size: true }): {
        exec(
          callback: (results: ({ node: CanvasNode; width: number; height: number } | null)[]) => void,
        ): void
      }
    }
  }
  getSystemInfoSync(): { pixelRatio?: number }
  createOffscreenCanvas(options: { type: '2d'; width: number; height: number }): PaintCanvas
}
declare const wx: WxCanvasApi

/**
 * The page's `<canvas type="webgl2">` as the hall's host. No library adapts current three.js to
 * WeChat (threejs-miniprogram forks three r108, WebGL 1), and three needs little: a WebGL 2
 * context, a size, the canvas's own animation frames, and event methods where the node has none.
 * Textures are painted on offscreen 2D canvases.
 */
export function wechatCanvas(selector: string): Promise<HallHost> {
  return new Promise((resolve, reject) => {
    wx.createSelectorQuery()
      .select(selector)
      .fields({ node: true, size: true })
      .exec(([found]) => {
        if (!found?.node) return reject(new Error(`No canvas ${selector} on the page`))
        const canvas = found.node
        const pixelRatio = Math.min(2, wx.getSystemInfoSync().pixelRatio ?? 1)
        canvas.width = Math.round(found.width * pixelRatio)
        canvas.height = Math.round(found.height * pixelRatio)
        // three listens for a lost context; WeChat's canvas node may not take listeners.
        canvas.addEventListener ??= () => {}
        canvas.removeEventListener ??= () => {}
        const makeCanvas: CanvasFactory = (width, height) =>
          wx.createOffscreenCanvas({ type: '2d', width, height })
        resolve({ canvas, width: found.width, height: found.height, pixelRatio, makeCanvas })
      })
  })
}
