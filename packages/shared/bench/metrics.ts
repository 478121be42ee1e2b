// bench:metrics — a day of synthetic conversations, 1,000,000 stored messages (events and people's
// messages, as the event log holds them). Times the full recompute of every figure per team and
// agent from the histories, and the live ledger's cost per recorded message. Prints both, the
// ledger's figures checked against the recompute's, and `BENCH {json}` last.

import {
  addToTotal,
  asClientMessageId,
  asConversationId,
  asUserId,
  type ConversationEvent,
  conversationFacts,
  figuresOf,
  type Message,
  type QualityFigures,
  QualityLedger,
} from '../src/index'
import { benchSettings } from '../src/testing/benchSettings'

const setting = benchSettings(process.env)
const EVENTS = setting.number('BENCH_EVENTS', 1_000_000, 20_000)
const TEAMS = ['general', 'premium', 'after_sales', 'wechat_shop']
const AGENTS = Array.from({ length: 120 }, (_, i) => `agent_${i}`)
const DAY = 24 * 3600_000
const TARGET_MS = 20_000

/** A small deterministic generator, so every run measures the same day. */
function random(seed: number): () => number {
  let state = seed | 0
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) | 0
    return (state >>> 8) / 16_777_216
  }
}

/** Each event message's event as the writer wrote it: the server's live path hands it over with the message. */
const writtenEvents = new WeakMap<Message, ConversationEvent>()

function syntheticDay(events: number): Message[][] {
  const next = random(42)
  const pick = <T>(from: readonly T[]): T => from[Math.floor(next() * from.length)] as T
  const histories: Message[][] = []
  for (let total = 0, index = 0; total < events; index++) {
    const conversationId = asConversationId(`c${index}`)
    const history: Message[] = []
    let at = Math.floor(next() * DAY)
    const push = (role: Message['authorRole'], author: string, kind: Message['kind'], body: string) =>
      history.push({
        conversationId,
        seq: history.length + 1,
        cid: asClientMessageId(`m${index}_${history.length}`),
        authorId: asUserId(author),
        authorRole: role,
        kind,
        body,
        createdAt: at,
      })
    const event = (value: ConversationEvent) => {
      push('system', 'system', 'event', JSON.stringify(value))
      writtenEvents.set(history.at(-1) as Message, value)
    }
    const customer = `u${index}`
    let agent = pick(AGENTS)
    event({ event: 'created', channel: pick(['web', 'wechat', 'alipay'] as const), delivery: 'kefu' })
    event({ event: 'queued', teamId: pick(TEAMS) as never })
    push('customer', customer, 'text', '你好，我的订单还没到')
    at += Math.floor(next() * 60_000)
    if (next() < 0.06) event({ event: 'abandoned', by: asUserId(customer) })
    else {
      event({ event: 'assigned', agentId: asUserId(agent), agentName: agent })
      const exchanges = 1 + Math.floor(next() * 4)
      for (let k = 0; k < exchanges; k++) {
        at += Math.floor(next() * 40_000)
        push('agent', agent, 'text', '您好，我帮您查一下')
        at += Math.floor(next() * 40_000)
        push('customer', customer, 'text', '好的谢谢')
        if (k === 0 && next() < 0.1) {
          const to = pick(AGENTS)
          event({ event: 'transferred', fromAgentId: asUserId(agent), toAgentId: asUserId(to) })
          agent = to
        }
      }
      at += Math.floor(next() * 60_000)
      event({ event: 'resolved', by: asUserId(agent), code: 'answered' })
      if (next() < 0.4) event({ event: 'rated', score: 1 + Math.floor(next() * 5) })
      if (next() < 0.03) {
        at += Math.floor(next() * 6 * DAY)
        event({ event: 'reopened' })
      }
    }
    total += history.length
    histories.push(history)
  }
  return histories
}

/** Every figure per team and per agent, recomputed from the histories alone. */
function recompute(histories: readonly Message[][]) {
  const byTeam = new Map<string, QualityFigures>()
  const byAgent = new Map<string, QualityFigures>()
  for (const history of histories) {
    const facts = conversationFacts(history)
    if (!facts) continue
    addToTotal(byTeam, facts.teamId ?? 'none', figuresOf(facts, TARGET_MS))
    const agents = new Set(facts.handling.map((span) => span.agentId))
    if (facts.firstResponse) agents.add(facts.firstResponse.agentId)
    for (const agentId of agents) addToTotal(byAgent, agentId, figuresOf(facts, TARGET_MS, { agentId }))
  }
  return { byTeam, byAgent }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

const histories = syntheticDay(EVENTS)
const events = histories.reduce((sum, history) => sum + history.length, 0)
console.log(
  `${events} messages in ${histories.length} conversations, ${TEAMS.length} teams, ${AGENTS.length} agents`,
)

const recomputeRounds: number[] = []
let report = recompute(histories)
for (let round = 0; round < 5; round++) {
  const started = performance.now()
  report = recompute(histories)
  recomputeRounds.push(performance.now() - started)
}
recomputeRounds.sort((a, b) => a - b)
const recomputeMs = recomputeRounds[2] ?? Number.NaN
console.log(`recompute (all figures, per team and agent, one day): median of 5 ${recomputeMs.toFixed(0)} ms`)

// The live path: messages arrive in time order across conversations, as the server writes them, each
// event message with the event the writer wrote (a recompute reads events back from the bodies).
const arrivals = histories.flat().sort((a, b) => a.createdAt - b.createdAt)
const ledger = new QualityLedger({ serviceTargetMs: () => TARGET_MS })
const costs = new Float64Array(arrivals.length)
for (let i = 0; i < arrivals.length; i++) {
  const started = process.hrtime.bigint()
  const message = arrivals[i] as Message
  ledger.record(message, writtenEvents.get(message))
  costs[i] = Number(process.hrtime.bigint() - started) / 1000
}
costs.sort()
const updateP50 = percentile(costs, 0.5)
const updateP99 = percentile(costs, 0.99)
console.log(
  `ledger update per message: p50 ${updateP50.toFixed(2)} us, p99 ${updateP99.toFixed(2)} us, max ${(costs.at(-1) ?? 0).toFixed(0)} us`,
)

// The two paths must agree, or the timings compare different work.
for (const [team, figures] of report.byTeam) {
  const live = ledger.figures(`team:${team}`, 0, 8 * DAY)
  if (JSON.stringify(live) !== JSON.stringify(figures)) throw new Error(`team ${team}: ledger ≠ recompute`)
}
for (const [agent, figures] of report.byAgent) {
  const live = ledger.figures(`agent:${agent}`, 0, 8 * DAY)
  if (JSON.stringify(live) !== JSON.stringify(figures)) throw new Error(`agent ${agent}: ledger ≠ recompute`)
}
console.log(`ledger equals recompute for ${report.byTeam.size} teams and ${report.byAgent.size} agents`)
console.log(
  `targets: recompute < 1000 ms (${recomputeMs < 1000 ? 'met' : 'MISSED'}), update p99 < 20 us (${updateP99 < 20 ? 'met' : 'MISSED'})`,
)
console.log(
  `BENCH ${JSON.stringify({ recompute_1m_ms: Math.round(recomputeMs), update_p99_us: Number(updateP99.toFixed(2)), update_p50_us: Number(updateP50.toFixed(2)), events })}`,
)
