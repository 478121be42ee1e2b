// bench:chat — customers chatting with agents through the real kefu3d server (a separate process,
// SQLite, every message persisted, routed and acked), then the same load through a bare Socket.IO
// relay as the baseline. Prints latency percentiles, throughput, server memory and the p99 ratio.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROTOCOL_VERSION } from '@kefu/shared'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import WebSocket from 'ws'
import { type ChatHarness, type LoadResult, peakRssMb, runLoad, spawnListening } from './load'
import { BENCH_PASSWORD, startBenchStack } from './stack'

const here = dirname(fileURLToPath(import.meta.url))
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1000)
const AGENTS = Number(process.env.BENCH_AGENTS ?? 50)
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5)
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30)
const options = { customers: CUSTOMERS, warmupS: WARMUP_S, durationS: DURATION_S, ratePerCustomerPerS: 1 }

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

async function inBatches<T>(count: number, size: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const made: T[] = []
  for (let start = 0; start < count; start += size) {
    made.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(size, count - start) }, (_, k) => make(start + k)),
      )),
    )
  }
  return made
}

/** The server's own view from /metrics: ack latency p99 (from the histogram) and event-loop lag. */
async function serverView(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const value = (name: string) => Number(text.match(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm'))?.[1])
  const buckets = [...text.matchAll(/^kefu_message_ack_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map(
    (m) => [Number(m[1]), Number(m[2])] as const,
  )
  const total = buckets.at(-1)?.[1] ?? 0
  const p99Bucket = buckets.find(([, count]) => count >= total * 0.99)?.[0]
  const ms = (seconds: number) => `${round(seconds * 1000)} ms`
  const gc = (kind: string) => {
    const series = (suffix: string) =>
      Number(
        text.match(
          new RegExp(`^kefu_nodejs_gc_duration_seconds_${suffix}\\{kind="${kind}"\\} ([\\d.e+-]+)$`, 'm'),
        )?.[1] ?? 0,
      )
    return `${series('count')} ${kind} (${ms(series('sum'))})`
  }
  return (
    `server: ack p99 <= ${ms(p99Bucket ?? Number.NaN)}, event-loop lag p99 ${ms(value('kefu_nodejs_eventloop_lag_p99_seconds'))}, ` +
    `max ${ms(value('kefu_nodejs_eventloop_lag_max_seconds'))}; garbage collections since start: ${gc('minor')}, ${gc('major')}`
  )
}

async function kefuHarness(): Promise<{ harness: ChatHarness; serverPid: number | undefined; port: number }> {
  const capacity = Math.ceil(CUSTOMERS / AGENTS)
  const stack = await startBenchStack({
    agents: Object.fromEntries(Array.from({ length: AGENTS }, (_, a) => [`bench${a}`, capacity])),
  })
  const { port, post } = stack

  const agentHandlers: ((body: string) => void)[] = []
  const agents = await inBatches(AGENTS, 10, async (a) => {
    const { token } = await post('/api/agent/login', { login: `bench${a}`, password: BENCH_PASSWORD })
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws?token=${token}`)
    socket.on('message', (data) => {
      const text = data.toString()
      if (!text.includes('"message.new"') || !text.includes('"authorRole":"customer"')) return
      const frame = JSON.parse(text) as { message: { body: string } }
      for (const handler of agentHandlers) handler(frame.message.body)
    })
    socket.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: `agent-${a}` }))
    return socket
  })

  let assigned = 0
  const everyoneAssigned = new Promise<void>((resolve) => {
    const check = () => (assigned >= CUSTOMERS ? resolve() : setTimeout(check, 50))
    check()
  })
  const customers = await inBatches(CUSTOMERS, 50, async (c) => {
    const { token } = await post('/api/customer/session', { guestName: `Customer ${c}` })
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws?token=${token}`)
    const state = { socket, conversationId: '', seq: 0 }
    socket.on('message', (data) => {
      const text = data.toString()
      if (!state.conversationId && text.startsWith('{"t":"conversation.assigned"')) {
        state.conversationId = (JSON.parse(text) as { conversation: { id: string } }).conversation.id
        assigned++
      }
    })
    socket.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: `customer-${c}` }))
    socket.send(JSON.stringify({ t: 'conversation.open', channel: 'web' }))
    return state
  })
  await everyoneAssigned
  process.stderr.write(`  kefu3d: ${CUSTOMERS} customers assigned to ${AGENTS} agents\n`)

  return {
    serverPid: stack.serverPid,
    port,
    harness: {
      send(c, body) {
        const customer = customers[c]
        if (!customer) return
        customer.socket.send(
          JSON.stringify({
            t: 'message.send',
            conversationId: customer.conversationId,
            cid: `b${c}-${customer.seq++}`,
            body,
          }),
        )
      },
      onAgentMessage: (handler) => void agentHandlers.push(handler),
      async close() {
        for (const socket of [...agents, ...customers.map((c) => c.socket)]) socket.terminate()
        await stack.close()
      },
    },
  }
}

async function socketIoHarness(): Promise<{ harness: ChatHarness; serverPid: number | undefined }> {
  const { child, port } = await spawnListening(join(here, '../dist/bench/socketioRelay.js'), {})
  const url = `http://127.0.0.1:${port}`
  const connect = (room: string) =>
    new Promise<Socket>((resolve) => {
      const socket = connectSocketIo(url, { transports: ['websocket'], forceNew: true })
      socket.on('connect', () => {
        socket.emit('join', room)
        resolve(socket)
      })
    })
  const handlers: ((body: string) => void)[] = []
  const agents = await inBatches(AGENTS, 10, async (a) => {
    const socket = await connect(`agent-${a}`)
    socket.on('msg', (body: string) => {
      for (const handler of handlers) handler(body)
    })
    return socket
  })
  const customers = await inBatches(CUSTOMERS, 50, (c) => connect(`customer-${c}`))
  return {
    serverPid: child.pid,
    harness: {
      send: (c, body) => void customers[c]?.emit('msg', `agent-${c % AGENTS}`, body),
      onAgentMessage: (handler) => void handlers.push(handler),
      async close() {
        for (const socket of [...agents, ...customers]) socket.disconnect()
        child.kill('SIGTERM')
        await new Promise((resolve) => child.once('exit', resolve))
      },
    },
  }
}

const round = (value: number) => Math.round(value * 100) / 100

function report(label: string, result: LoadResult, rssMb: number): void {
  process.stdout.write(
    `${label.padEnd(22)} p50 ${round(result.p50)} ms  p95 ${round(result.p95)} ms  p99 ${round(result.p99)} ms  ` +
      `${round(result.msgsPerS)} msg/s  delivered ${result.received}/${result.sent}  server peak RSS ${round(rssMb)} MiB  ` +
      `server CPU ${Math.round(result.serverCpuUsPerMessage)} µs/msg\n`,
  )
}

process.stderr.write(
  `bench:chat — ${CUSTOMERS} customers, ${AGENTS} agents, 1 msg/s each, measured for ${DURATION_S} s after ${WARMUP_S} s of warm-up\n`,
)
const kefu = await kefuHarness()
const kefuResult = await runLoad(kefu.harness, options, 'kefu3d', kefu.serverPid)
const kefuRss = peakRssMb(kefu.serverPid)
const kefuServerView = await serverView(kefu.port)
await kefu.harness.close()

const baseline = await socketIoHarness()
const baselineResult = await runLoad(baseline.harness, options, 'socket.io relay', baseline.serverPid)
const baselineRss = peakRssMb(baseline.serverPid)
await baseline.harness.close()

report('kefu3d (persisted)', kefuResult, kefuRss)
report('socket.io bare relay', baselineResult, baselineRss)
process.stdout.write(`kefu3d ${kefuServerView}\n`)
process.stdout.write(
  `load generator event-loop p99: kefu3d run ${round(kefuResult.clientLoopP99Ms)} ms, baseline run ${round(baselineResult.clientLoopP99Ms)} ms\n`,
)
const ratio = kefuResult.p99 / baselineResult.p99
process.stdout.write(`p99 ratio kefu3d / socket.io relay: ${round(ratio)}\n`)
process.stdout.write(
  `BENCH ${JSON.stringify({
    p50_ms: round(kefuResult.p50),
    p95_ms: round(kefuResult.p95),
    p99_ms: round(kefuResult.p99),
    msgs_per_s: round(kefuResult.msgsPerS),
    rss_mb: round(kefuRss),
    baseline_p99_ms: round(baselineResult.p99),
    p99_ratio: round(ratio),
  })}\n`,
)
