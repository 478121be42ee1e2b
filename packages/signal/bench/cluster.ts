// bench:cluster — customers chatting with agents through three signal nodes on PostgreSQL and
// Redis, customers spread over the nodes and agents over them too (so about two in three pairs sit
// on different nodes), one message a second each; then the same load on one node with SQLite, in
// the same run; then the cluster's load raised step by step to find the largest that keeps its p99
// under 25 ms. Every process and the load generator share this machine's cores.

import { benchSettings } from '@kefu/shared/testing'
import { connectKefuLoad } from './kefuLoad'
import { cpuSeconds, type LoadResult, runLoad } from './load'
import { startBenchCluster, startBenchStack } from './stack'

const setting = benchSettings(process.env)
const CUSTOMERS = setting.number('BENCH_CUSTOMERS', 1500, 100)
const AGENTS = setting.number('BENCH_AGENTS', 75, 10)
const NODES = 3
const WARMUP_S = setting.number('BENCH_WARMUP_S', 5, 1)
const DURATION_S = setting.number('BENCH_DURATION_S', 20, 2)
// Rates per customer for the search, after the first at 1 msg/s: 1,500 customers make 2,250 msg/s and up.
const SEARCH_RATES = process.env.BENCH_SHORT ? [] : [1.5, 2, 2.5, 3, 4]
const P99_LIMIT_MS = 25
const capacity = Math.ceil(CUSTOMERS / AGENTS)
const agents = Object.fromEntries(Array.from({ length: AGENTS }, (_, a) => [`bench${a}`, capacity]))

const round = (value: number) => Math.round(value * 100) / 100

interface Run extends LoadResult {
  lost: number
  duplicated: number
  cpuByProcess: Record<string, number>
}

function report(label: string, run: Run): void {
  const cpu = Object.entries(run.cpuByProcess)
    .map(([name, us]) => `${name} ${Math.round(us)}`)
    .join(', ')
  process.stdout.write(
    `  ${label.padEnd(26)} p50 ${round(run.p50)} ms  p95 ${round(run.p95)} ms  p99 ${round(run.p99)} ms  ` +
      `${round(run.msgsPerS)} msg/s  lost ${run.lost}  duplicated ${run.duplicated}  CPU µs/msg: ${cpu}\n`,
  )
}

/** Runs the load and counts CPU per process over the measured window (from a second before it). */
async function measure(
  harness: Awaited<ReturnType<typeof connectKefuLoad>>,
  processes: Record<string, number | undefined>,
  ratePerCustomerPerS: number,
  label: string,
): Promise<Run> {
  let cpuBefore: Record<string, number> = {}
  const duplicatedBefore = harness.duplicated()
  const result = await runLoad(
    harness.harness,
    { customers: CUSTOMERS, warmupS: WARMUP_S, durationS: DURATION_S, ratePerCustomerPerS },
    label,
    undefined,
    async () => {
      cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)]))
    },
  )
  const cpuByProcess = Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => [
      name,
      ((cpuSeconds(pid) - (cpuBefore[name] ?? 0)) / result.received) * 1e6,
    ]),
  )
  return {
    ...result,
    lost: Math.max(0, result.sent - result.received),
    duplicated: harness.duplicated() - duplicatedBefore,
    cpuByProcess,
  }
}

process.stderr.write(
  `bench:cluster — ${CUSTOMERS} customers, ${AGENTS} agents, ${NODES} nodes; ${DURATION_S} s measured after ${WARMUP_S} s\n`,
)
const cluster = await startBenchCluster({ agents, nodes: NODES })
const clusterLoad = await connectKefuLoad({
  customers: CUSTOMERS,
  agents: AGENTS,
  post: cluster.post,
  customerNode: (c) => cluster.nodes[c % NODES] ?? cluster.nodes[0]!,
  agentNode: (a) => cluster.nodes[(a + 1) % NODES] ?? cluster.nodes[0]!,
  onClose: () => cluster.close(),
})
const clusterProcesses = {
  ...Object.fromEntries(cluster.nodes.map((node, index) => [`node ${index + 1}`, node.pid])),
  redis: cluster.redisPid,
  postgres: cluster.postgresPid,
}
const atOne = await measure(clusterLoad, clusterProcesses, 1, 'cluster')
report(`cluster, ${CUSTOMERS} msg/s`, atOne)
let largestUnderLimit = atOne.p99 < P99_LIMIT_MS ? atOne.msgsPerS : 0
for (const rate of SEARCH_RATES) {
  if (largestUnderLimit === 0) break
  const run = await measure(clusterLoad, clusterProcesses, rate, `cluster at ${CUSTOMERS * rate} msg/s`)
  report(`cluster, ${CUSTOMERS * rate} msg/s`, run)
  if (run.p99 >= P99_LIMIT_MS || run.lost > 0) break
  largestUnderLimit = run.msgsPerS
}
await clusterLoad.harness.close()

const single = await startBenchStack({ agents })
const singleNode = { base: single.base, pid: single.serverPid }
const singleLoad = await connectKefuLoad({
  customers: CUSTOMERS,
  agents: AGENTS,
  post: single.post,
  customerNode: () => singleNode,
  agentNode: () => singleNode,
  onClose: () => single.close(),
})
const alone = await measure(singleLoad, { node: single.serverPid }, 1, 'one node')
report(`one node (SQLite), ${CUSTOMERS} msg/s`, alone)
await singleLoad.harness.close()

process.stdout.write(
  `largest load the cluster held with p99 under ${P99_LIMIT_MS} ms: ${Math.round(largestUnderLimit)} msg/s\n`,
)
process.stdout.write(
  `BENCH ${JSON.stringify({
    cluster_p99_ms: round(atOne.p99),
    single_p99_ms: round(alone.p99),
    msgs_per_s: round(atOne.msgsPerS),
    lost: atOne.lost,
    duplicated: atOne.duplicated,
    max_msgs_per_s_p99_25ms: Math.round(largestUnderLimit),
  })}\n`,
)
