import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

/** The shape both systems under test present to the load generator. */
export interface ChatHarness {
  /** Sends a customer's message whose body carries its send time. */
  send(customer: number, body: string): void
  /** Called with each body an agent receives. */
  onAgentMessage(handler: (body: string) => void): void
  close(): Promise<void>
}

export interface LoadOptions {
  customers: number
  /** Sent before measuring starts, at the same rate: the JIT, caches and pools settle in for both systems alike. */
  warmupS: number
  durationS: number
  ratePerCustomerPerS: number
}

export interface LoadResult {
  p50: number
  p95: number
  p99: number
  /** The tail beyond p99: where an event-loop stall (GC, a wait on the disk) shows first. */
  p999: number
  max: number
  msgsPerS: number
  sent: number
  received: number
  /** The server process's CPU time (all threads) per delivered message, in microseconds. */
  serverCpuUsPerMessage: number
  /** The load generator's own event-loop delay p99: if high, the figures measure the client, not the server. */
  clientLoopP99Ms: number
  /** The load generator's CPU time per delivered message: it shares the machine with the server. */
  clientCpuUsPerMessage: number
}

// How often the generator wakes to send what is due: with 1,000 customers, a 5 ms tick sends bursts
// of about five. BENCH_TICK_MS=1 sends nearly one at a time; then both servers' tails are set by
// their event-loop stalls (GC, a metrics scrape) rather than by the work a burst queues up.
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 5)

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

/**
 * Every customer sends at its own steady rate, staggered so the load is smooth; agents time each
 * arrival. Only messages sent after the warm-up count.
 */
export async function runLoad(
  harness: ChatHarness,
  options: LoadOptions,
  label: string,
  serverPid: number | undefined,
  /**
   * Called a second before measuring starts, for anything that should see (about) only the measured
   * window. Not at its start: scraping kefu's /metrics stalls its event loop for ~10 ms, which the
   * messages in flight would count as the server's latency (the baseline has nothing to scrape).
   */
  beforeMeasuring?: () => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = []
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  const periodMs = 1000 / options.ratePerCustomerPerS
  const start = performance.now()
  const measureFrom = start + options.warmupS * 1000
  const endAt = measureFrom + options.durationS * 1000
  harness.onAgentMessage((body) => {
    const sentAt = Number(body.slice(body.lastIndexOf(' ') + 1))
    if (sentAt >= measureFrom) latencies.push(performance.now() - sentAt)
  })
  // Customers are due in index order, each `periodMs` after the last time round.
  const dueAt = (turn: number) =>
    start +
    Math.floor(turn / options.customers) * periodMs +
    ((turn % options.customers) / options.customers) * periodMs
  let turn = 0
  let sent = 0
  let measuring = false
  let prepared = false
  let cpuAtStart = Number.NaN
  let clientCpuAtStart = process.cpuUsage()
  let lastReport = start
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now()
      if (now >= endAt) {
        clearInterval(tick)
        resolve()
        return
      }
      if (!prepared && now >= measureFrom - 1000) {
        prepared = true
        void beforeMeasuring?.()
      }
      if (!measuring && now >= measureFrom) {
        measuring = true
        cpuAtStart = cpuSeconds(serverPid)
        clientCpuAtStart = process.cpuUsage()
        loopDelay.enable()
      }
      for (; dueAt(turn) <= now; turn++) {
        const sentAt = performance.now()
        harness.send(turn % options.customers, `load ${turn % options.customers} ${sentAt}`)
        if (sentAt >= measureFrom) sent++
      }
      if (now - lastReport >= 5000) {
        lastReport = now
        const phase = measuring ? `${sent} sent, ${latencies.length} received` : 'warming up'
        process.stderr.write(`  ${label}: ${Math.round((now - start) / 1000)} s, ${phase}\n`)
      }
    }, TICK_MS)
  })
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const cpuUsed = cpuSeconds(serverPid) - cpuAtStart
  const clientCpu = process.cpuUsage(clientCpuAtStart)
  loopDelay.disable()
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted.at(-1) ?? Number.NaN,
    msgsPerS: latencies.length / options.durationS,
    sent,
    received: latencies.length,
    serverCpuUsPerMessage: (cpuUsed / latencies.length) * 1e6,
    clientLoopP99Ms: loopDelay.percentile(99) / 1e6,
    clientCpuUsPerMessage: (clientCpu.user + clientCpu.system) / latencies.length,
  }
}

// The production start script's flag, given to both servers so neither is tuned and the other not:
// a larger young generation means fewer scavenges of the many short-lived objects sockets churn.
const SERVER_NODE_ARGS = ['--max-semi-space-size=64']

/**
 * Starts a built entry as its own process and resolves with the port it logs when listening.
 * BENCH_NODE_ARGS adds flags (for example `--cpu-prof` or `--trace-gc`) to see where time goes.
 */
export function spawnListening(
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number }> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, ...nodeArgs, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (nodeArgs.length > 0) child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  return new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = buffered.match(/"port":(\d+)[^\n]*"msg":"listening"|"msg":"listening","port":(\d+)/)
      if (match) resolve({ child, port: Number(match[1] ?? match[2]) })
    })
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)))
  })
}

/** Peak resident memory of a process, in MiB (Linux). */
export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1])
  return kb / 1024
}

/** CPU time a process and its descendants have used so far (all threads, user + system), in seconds (Linux). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  // A process and every process below it: PostgreSQL works in its postmaster's children.
  const parents = new Map<number, number>()
  const ticks = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // It exited while the list was read.
    }
    // Fields after the command name, which is in parentheses and may itself contain ") ".
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
    parents.set(Number(entry), Number(fields[1]))
    // utime and stime, in the kernel's USER_HZ ticks: 100 a second on Linux.
    ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]))
  }
  const inTree = (candidate: number): boolean => {
    for (let at: number | undefined = candidate; at !== undefined && at > 1; at = parents.get(at))
      if (at === pid) return true
    return false
  }
  let total = 0
  for (const [process, used] of ticks) if (inTree(process)) total += used
  return total / 100
}
