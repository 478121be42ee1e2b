import { CanvasTexture, RepeatWrapping, SRGBColorSpace } from 'three'
import type { CanvasFactory, PaintCanvas } from '../../platform/hallHost'

/** The part of a 2D canvas context the hall paints with (the DOM's, or a mini-program's). */
export interface Paint2D {
  fillStyle: unknown
  strokeStyle: unknown
  lineWidth: number
  font: string
  textAlign: string
  textBaseline: string
  fillRect(x: number, y: number, w: number, h: number): void
  strokeRect(x: number, y: number, w: number, h: number): void
  beginPath(): void
  closePath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  arcTo(x1: number, y1: number, x2: number, y2: number, r: number): void
  fill(): void
  stroke(): void
  fillText(text: string, x: number, y: number, maxWidth?: number): void
}

export type { CanvasFactory, PaintCanvas }

function paint(makeCanvas: CanvasFactory, width: number, height: number) {
  const canvas = makeCanvas(width, height)
  return { canvas, context: canvas.getContext('2d') as Paint2D | null }
}

// three reads any canvas-like source the platform's WebGL accepts.
const textureOf = (canvas: PaintCanvas) => new CanvasTexture(canvas as never)

const FONT =
  '"PingFang SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", system-ui, sans-serif'

/** A sign's face: text drawn on a canvas (no font file to download), crisp at twice its size. */
export function signTexture(
  makeCanvas: CanvasFactory,
  lines: readonly string[],
  options: { width?: number; height?: number; background: string; color: string; accent?: string },
): CanvasTexture {
  const width = options.width ?? 512
  const height = options.height ?? 128
  const { canvas, context } = paint(makeCanvas, width, height)
  if (context) {
    context.fillStyle = options.background
    roundRect(context, 0, 0, width, height, height * 0.18)
    context.fill()
    if (options.accent) {
      context.fillStyle = options.accent
      context.fillRect(0, height - height * 0.08, width, height * 0.08)
    }
    context.fillStyle = options.color
    context.textAlign = 'center'
    context.textBaseline = 'middle'
    const size = lines.length > 1 ? height * 0.3 : height * 0.46
    lines.forEach((line, index) => {
      context.font = `${index === 0 ? 700 : 500} ${index === 0 ? size : size * 0.78}px ${FONT}`
      const y = lines.length > 1 ? height * (0.32 + index * 0.38) : height / 2
      context.fillText(line, width / 2, y, width * 0.92)
    })
  }
  const texture = textureOf(canvas)
  texture.colorSpace = SRGBColorSpace
  texture.anisotropy = 4
  return texture
}

/** How wide a bubble's line may be, in the width of a Chinese character; Latin letters are about half. */
const BUBBLE_LINE = 15
const BUBBLE_LINES = 3

/**
 * A speech bubble's text as its lines: a long answer wraps (Latin at spaces, Chinese anywhere) over
 * at most three lines, the last ending in … when it goes on, so it stays readable over an avatar
 * instead of shrunk into one line. The whole text is in the chat beside the hall.
 */
export function bubbleLines(text: string): string[] {
  // One piece per Chinese character (or full-width sign), per Latin word, per space.
  const pieces = text
    .replace(/\s+/g, ' ')
    .trim()
    .match(/[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+|\s/g)
  const lines: string[] = []
  let line = ''
  let width = 0
  for (const piece of pieces ?? []) {
    const pieceWidth = piece.length === 1 && piece >= '\u2e80' ? 1 : piece.length * 0.55
    if (width + pieceWidth > BUBBLE_LINE && line.trim() !== '') {
      lines.push(line.trim())
      line = ''
      width = 0
      if (piece === ' ') continue
    }
    line += piece
    width += pieceWidth
  }
  if (line.trim() !== '') lines.push(line.trim())
  if (lines.length <= BUBBLE_LINES) return lines
  const kept = lines.slice(0, BUBBLE_LINES)
  kept[BUBBLE_LINES - 1] = `${(kept[BUBBLE_LINES - 1] as string).slice(0, -1)}…`
  return kept
}

/** A speech bubble's face, as tall as its lines; `aspect` is its height over its width. */
export function bubbleTexture(
  makeCanvas: CanvasFactory,
  text: string,
): { texture: CanvasTexture; aspect: number } {
  const lines = bubbleLines(text)
  // Fifteen characters of 30 px fit the 512 px width unsqueezed.
  const [width, lineHeight, padding] = [512, 44, 18]
  const height = padding * 2 + lineHeight * Math.max(1, lines.length)
  const { canvas, context } = paint(makeCanvas, width, height)
  if (context) {
    context.fillStyle = '#ffffff'
    roundRect(context, 0, 0, width, height, 28)
    context.fill()
    context.fillStyle = '#1d2a44'
    context.textAlign = 'center'
    context.textBaseline = 'middle'
    context.font = `500 30px ${FONT}`
    lines.forEach((line, index) => {
      context.fillText(line, width / 2, padding + lineHeight * (index + 0.5), width * 0.94)
    })
  }
  const texture = textureOf(canvas)
  texture.colorSpace = SRGBColorSpace
  texture.anisotropy = 4
  return { texture, aspect: height / width }
}

/** Large floor tiles with fine grout: the hall reads as a floor, not a flat colour. */
export function floorTexture(makeCanvas: CanvasFactory): CanvasTexture {
  const size = 256
  const { canvas, context } = paint(makeCanvas, size, size)
  if (context) {
    context.fillStyle = '#e9e4dc'
    context.fillRect(0, 0, size, size)
    context.fillStyle = '#e2dcd2'
    context.fillRect(0, 0, size / 2, size / 2)
    context.fillRect(size / 2, size / 2, size / 2, size / 2)
    context.strokeStyle = '#cfc7bb'
    context.lineWidth = 2
    context.strokeRect(1, 1, size - 2, size - 2)
    context.beginPath()
    context.moveTo(size / 2, 0)
    context.lineTo(size / 2, size)
    context.moveTo(0, size / 2)
    context.lineTo(size, size / 2)
    context.stroke()
  }
  const texture = textureOf(canvas)
  texture.wrapS = RepeatWrapping
  texture.wrapT = RepeatWrapping
  texture.colorSpace = SRGBColorSpace
  return texture
}

function roundRect(context: Paint2D, x: number, y: number, w: number, h: number, r: number): void {
  context.beginPath()
  context.moveTo(x + r, y)
  context.arcTo(x + w, y, x + w, y + h, r)
  context.arcTo(x + w, y + h, x, y + h, r)
  context.arcTo(x, y + h, x, y, r)
  context.arcTo(x, y, x + w, y, r)
  context.closePath()
}
