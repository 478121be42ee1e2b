// bench:hall — the 3D hall in headless Chromium (SwiftShader: software rendering, so compare frame
// times as ratios) at 1280x720 with 1, 10 and 30 moving avatars; the gzipped sizes of the chat
// entry and of the hall; pose bytes per avatar per second. Ends with a `BENCH {json}` line.

import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'
import { AvatarMotion, POSE_BYTES, type Pose, PoseSchedule } from '@kefu/shared'
import { benchSettings } from '@kefu/shared/testing'
import { chromium } from 'playwright-core'

const DIST = join(import.meta.dirname, '../dist')
const BENCH_DIST = join(import.meta.dirname, '../dist-bench')
const CROWDS = [1, 10, 30] as const
const setting = benchSettings(process.env)
const WARMUP_MS = setting.number('BENCH_WARMUP_MS', 3000, 500)
const MEASURE_MS = setting.number('BENCH_MEASURE_MS', 6000, 1000)
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

interface ManifestChunk {
  file: string
  imports?: string[]
  isEntry?: boolean
}

/** Gzipped KB of a chunk and every chunk it imports statically (not those already counted). */
function gzippedKb(manifest: Record<string, ManifestChunk>, key: string, counted: Set<string>): number {
  const chunk = manifest[key]
  if (!chunk || counted.has(key)) return 0
  counted.add(key)
  const own = gzipSync(readFileSync(join(DIST, chunk.file))).byteLength / 1024
  return (
    own + (chunk.imports ?? []).reduce((sum, imported) => sum + gzippedKb(manifest, imported, counted), 0)
  )
}

function sizes(): { chat: number; hall: number } {
  const manifestFile = join(DIST, '.vite/manifest.json')
  // The client as built, not built again here: a rebuild would empty dist/ under whoever serves it.
  if (!existsSync(manifestFile))
    throw new Error('bench:hall weighs the built client: pnpm --filter @kefu/client build')
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>
  const counted = new Set<string>()
  const chat = gzippedKb(manifest, 'index.html', counted)
  const hall = gzippedKb(manifest, 'src/hall/HallView.tsx', counted)
  return { chat, hall }
}

/** Pose bytes a walking avatar sends in a second, by the hall's own schedule (payload, not LiveKit's framing). */
function poseBytesPerSecond(): number {
  const schedule = new PoseSchedule()
  const seconds = 20
  let sent = 0
  for (let frame = 0; frame < seconds * 60; frame++) {
    const now = (frame * 1000) / 60
    // Walks and turns for 2 s, stands for 1 s, as people in a hall do.
    const walking = now % 3000 < 2000
    const pose: Pose = {
      x: Math.cos(now / 3000) * 5,
      y: 0,
      z: Math.sin(now / 3000) * 5,
      heading: now / 3000,
      motion: walking ? AvatarMotion.Walk : AvatarMotion.Idle,
      seq: frame,
    }
    if (!walking) Object.assign(pose, { x: 0, z: 0, heading: 0 })
    if (schedule.isDue(pose, now)) {
      schedule.markSent(pose, now)
      sent++
    }
  }
  return (sent * POSE_BYTES) / seconds
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

async function serve(root: string): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, new URL(request.url ?? '/', 'http://x').pathname))
    if (!path.startsWith(root)) return void response.writeHead(403).end()
    let body: Buffer
    try {
      body = readFileSync(path)
    } catch {
      return void response.writeHead(404).end()
    }
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}

const site = await serve(BENCH_DIST)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--enable-precise-memory-info',
  ],
})
const results: Record<
  number,
  { median: number; p95: number; calls: number; triangles: number; heapMb: number }
> = {}
try {
  for (const crowd of CROWDS) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(`${site.url}/hall-bench.html?avatars=${crowd}`)
    await page.waitForFunction('window.__kefuBench && window.__kefuBench.frames.length > 5', null, {
      timeout: 60_000,
    })
    await page.waitForTimeout(WARMUP_MS)
    await page.evaluate('window.__kefuBench.frames.length = 0')
    await page.waitForTimeout(MEASURE_MS)
    const measured = (await page.evaluate(
      '({ frames: window.__kefuBench.frames.slice(), calls: window.__kefuBench.calls, triangles: window.__kefuBench.triangles, heap: performance.memory ? performance.memory.usedJSHeapSize : 0 })',
    )) as { frames: number[]; calls: number; triangles: number; heap: number }
    results[crowd] = {
      median: percentile(measured.frames, 50),
      p95: percentile(measured.frames, 95),
      calls: measured.calls,
      triangles: measured.triangles,
      heapMb: measured.heap / 1024 / 1024,
    }
    const r = results[crowd]
    console.log(
      `${String(crowd).padStart(2)} avatars: frame median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${measured.frames.length} frames), ` +
        `${r.calls} draw calls, ${r.triangles} triangles, JS heap ${r.heapMb.toFixed(1)} MB`,
    )
    await page.close()
  }
} finally {
  await browser.close()
  site.close()
}

const { chat, hall } = sizes()
const poseBytes = poseBytesPerSecond()
const one = results[1]
const thirty = results[30]
console.log(
  `chat entry ${chat.toFixed(1)} KB gzipped (target < 150), hall ${hall.toFixed(1)} KB gzipped (target < 700)`,
)
console.log(`pose payload ${poseBytes.toFixed(0)} bytes per avatar per second while walking (target < 300)`)
if (one && thirty)
  console.log(`frame p95 with 30 avatars / with 1: ${(thirty.p95 / one.p95).toFixed(2)} (target <= 1.5)`)
console.log(
  `BENCH ${JSON.stringify({
    chat_entry_kb_gz: Number(chat.toFixed(1)),
    hall_chunk_kb_gz: Number(hall.toFixed(1)),
    draw_calls_30: thirty?.calls,
    triangles_30: thirty?.triangles,
    frame_p95_ms_1: Number(one?.p95.toFixed(1)),
    frame_p95_ms_30: Number(thirty?.p95.toFixed(1)),
    pose_bytes_per_s: Number(poseBytes.toFixed(0)),
  })}`,
)
