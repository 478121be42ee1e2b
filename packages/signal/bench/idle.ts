// bench:idle — how much one idle customer costs a node: CONNECTIONS customers connect to the built
// server (SQLite, one process), say hello, and stay, sending the client's heartbeat ping as the
// widget does. Prints, per connection, the live heap they keep (after a full collection) and how
// much the server's resident memory grew (an upper bound: garbage and the young generation in it).
// Plain ws needs about 5 KB a connection, Centrifugo 11–27 KB; the target is under 10 KB.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PROTOCOL_VERSION } from '@kefu/shared'
import { benchSettings } from '@kefu/shared/testing'
import WebSocket from 'ws'
import { BENCH_METRICS_TOKEN, startBenchStack } from './stack'

const setting = benchSettings(process.env)
const CONNECTIONS = setting.number('BENCH_CONNECTIONS', 10_000, 500)
const HEARTBEAT_S = setting.number('BENCH_HEARTBEAT_S', 25, 2)
const HOLD_S = setting.number('BENCH_HOLD_S', 30, 2)
const BATCH = 200

// The server writes a heap snapshot on SIGUSR2, which first collects every generation: what is
// measured after it is what the connections keep, not the garbage of connecting them.
const diagnostics = mkdtempSync(join(tmpdir(), 'kefu-idle-'))
process.env.BENCH_NODE_ARGS = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${diagnostics}`

/** Resident memory of a process now (not its peak), in KiB (Linux). */
function rssKb(pid: number | undefined): number {
  return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1])
}

/** Makes the server collect all its garbage, and waits until it has. */
async function collectGarbage(pid: number | undefined, port: number): Promise<void> {
  process.kill(pid as number, 'SIGUSR2')
  // The snapshot's file appears when it begins; the server writes it on its main thread, so the
  // next request it answers comes after the snapshot, and the collection came before that.
  while (readdirSync(diagnostics).length === 0) await new Promise((resolve) => setTimeout(resolve, 100))
  await getText(`http://127.0.0.1:${port}/healthz`)
  for (const file of readdirSync(diagnostics)) rmSync(join(diagnostics, file))
}

/**
 * A GET that tries again on a reset: a connection kept alive from before a snapshot has been
 * closed by the server meanwhile, and undici reports its reuse as a reset.
 */
async function getText(url: string, headers: Record<string, string> = {}): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(url, { headers })).text()
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

async function heapUsedKb(port: number): Promise<number> {
  const text = await getText(`http://127.0.0.1:${port}/metrics`, {
    authorization: `Bearer ${BENCH_METRICS_TOKEN}`,
  })
  return Number(text.match(/^kefu_nodejs_heap_size_used_bytes (\S+)$/m)?.[1]) / 1024
}

function connect(base: string, token: string, deviceId: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`)
    ws.once('error', reject)
    ws.on('message', (data) => {
      if (String(data).includes('"t":"welcome"')) resolve(ws)
    })
    ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId })))
  })
}

const stack = await startBenchStack({ agents: {} })
try {
  // Settled before counting: the first requests load code and fill caches that every later one shares.
  const warm = await stack.post('/api/customer/session', {})
  await (await connect(stack.base, warm.token, 'warm-up')).close()
  // Resident memory is read before any snapshot (writing one leaves the process larger for a while),
  // so it counts garbage and the young generation too: an upper bound. The live heap is read after.
  const rssBefore = rssKb(stack.serverPid)
  await collectGarbage(stack.serverPid, stack.port)
  const heapBefore = await heapUsedKb(stack.port)
  const sockets: WebSocket[] = []
  const startedAt = performance.now()
  for (let start = 0; start < CONNECTIONS; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, CONNECTIONS - start) }, async (_, k) => {
      const { token } = await stack.post('/api/customer/session', {})
      return connect(stack.base, token, `idle-${start + k}`)
    })
    sockets.push(...(await Promise.all(batch)))
    if ((start / BATCH) % 10 === 0) process.stdout.write(`  connected ${sockets.length} of ${CONNECTIONS}\n`)
  }
  console.log(
    `${CONNECTIONS} customers connected in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  )
  // Held with heartbeats on, as idle widgets are.
  const beats = Math.max(1, Math.round(HOLD_S / HEARTBEAT_S))
  for (let beat = 0; beat < beats; beat++) {
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_S * 1000))
    for (const ws of sockets) ws.send(JSON.stringify({ t: 'ping', at: Date.now() }))
  }
  const rssAfter = rssKb(stack.serverPid)
  await collectGarbage(stack.serverPid, stack.port)
  const heapAfter = await heapUsedKb(stack.port)
  const rssKbPerConnection = (rssAfter - rssBefore) / CONNECTIONS
  const kbPerConnection = (heapAfter - heapBefore) / CONNECTIONS
  console.log(
    `server RSS ${(rssBefore / 1024).toFixed(0)} -> ${(rssAfter / 1024).toFixed(0)} MiB, heap ${(heapBefore / 1024).toFixed(0)} -> ${(heapAfter / 1024).toFixed(0)} MiB`,
  )
  console.log(
    `per idle connection: ${kbPerConnection.toFixed(1)} KB of live heap (target under 10 KB); ` +
      `resident memory grew ${rssKbPerConnection.toFixed(1)} KB a connection, garbage and young generation included`,
  )
  for (const ws of sockets) ws.terminate()
  console.log(
    `BENCH ${JSON.stringify({
      connections: CONNECTIONS,
      rss_mb: Number((rssAfter / 1024).toFixed(1)),
      kb_per_connection: Number(kbPerConnection.toFixed(2)),
      rss_kb_per_connection: Number(rssKbPerConnection.toFixed(2)),
    })}`,
  )
} finally {
  await stack.close()
  rmSync(diagnostics, { recursive: true, force: true })
}
