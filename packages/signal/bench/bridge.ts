// bench:bridge — 20 mini-program voice sessions at once through the signal server's bridge.
// Mouth-to-ear: a simulated recorder starts a tone (PCM frames over the signal WebSocket); an agent
// participant in the LiveKit room detects its onset. Also prints the signal server's CPU per session.

import { readFileSync } from 'node:fs'
import { AudioFrameKind, encodeAudioFrame } from '@kefu/shared'
import { benchSettings } from '@kefu/shared/testing'
import type WebSocket from 'ws'
import { RoomBot } from '../src/livekit/RoomBot'
import { BENCH_PASSWORD, openBenchSocket, startBenchStack } from './stack'

const setting = benchSettings(process.env)
const SESSIONS = setting.number('BENCH_SESSIONS', 20, 2)
const DURATION_S = setting.number('BENCH_DURATION_S', 10, 2)
const RATE = 16_000
const FRAME = 320 // 20 ms
const TONE_MS = 300
const ONSET_THRESHOLD = 2000

const stack = await startBenchStack({ agents: { bridge: SESSIONS }, livekitPort: 28_880 })
const child = { pid: stack.serverPid }
const agentToken = (await stack.post('/api/agent/login', { login: 'bridge', password: BENCH_PASSWORD })).token
const agent = await openBenchSocket(stack.base, agentToken, 'agent')
interface Session {
  ws: WebSocket
  sentOnsets: number[]
  heardOnsets: number[]
}
const sessions: Session[] = []
for (let i = 0; i < SESSIONS; i++) {
  const customer = await openBenchSocket(
    stack.base,
    await stack.platformCustomerToken(`wx-bench-${i}`, 'wechat'),
    `mini-${i}`,
  )
  customer.ws.send(JSON.stringify({ t: 'conversation.open', channel: 'wechat' }))
  const conversationId = ((await customer.take('conversation.assigned')) as { conversation: { id: string } })
    .conversation.id
  customer.ws.send(JSON.stringify({ t: 'voice.start', conversationId }))
  await agent.take('conversation.updated')
  customer.ws.send(JSON.stringify({ t: 'voice.bridge.start', conversationId, sampleRate: RATE }))
  await customer.take('voice.bridge.ready')
  const session: Session = { ws: customer.ws, sentOnsets: [], heardOnsets: [] }
  const bot = new RoomBot()
  const voiceToken = await stack.post(`/api/conversations/${conversationId}/voice-token`, {}, agentToken)
  await bot.join(stack.livekitUrl ?? '', voiceToken.token)
  bot.eachRemoteAudio(RATE, (_identity, frames) => {
    void (async () => {
      let loud = false
      for await (const frame of frames) {
        const peak = frame.data.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0)
        if (!loud && peak > ONSET_THRESHOLD) session.heardOnsets.push(performance.now())
        loud = peak > ONSET_THRESHOLD / 2
      }
    })()
  })
  sessions.push(session)
}
process.stderr.write(`  ${SESSIONS} bridged sessions in their rooms\n`)

const cpuTicks = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return Number(fields[11]) + Number(fields[12])
}
const ticksBefore = cpuTicks()
const started = performance.now()
let frameIndex = 0
const recorder = setInterval(() => {
  const elapsedMs = performance.now() - started
  for (const [i, session] of sessions.entries()) {
    // Each session's bursts are offset so the onsets do not all land in the same instant.
    const phaseMs = (elapsedMs + i * 37) % 1000
    const toneOn = phaseMs < TONE_MS
    const samples = new Int16Array(FRAME)
    if (toneOn)
      for (let s = 0; s < FRAME; s++)
        samples[s] = Math.round(12_000 * Math.sin((2 * Math.PI * 440 * (frameIndex * FRAME + s)) / RATE))
    if (toneOn && phaseMs < 20) session.sentOnsets.push(performance.now())
    session.ws.send(encodeAudioFrame(AudioFrameKind.Uplink, samples))
  }
  frameIndex++
}, 20)
await new Promise((resolve) => setTimeout(resolve, DURATION_S * 1000))
clearInterval(recorder)
const windowS = (performance.now() - started) / 1000
const cpuPct = ((cpuTicks() - ticksBefore) / 100 / windowS) * 100
await new Promise((resolve) => setTimeout(resolve, 1000))

// Pair each sent onset with the first heard onset after it (and before the next one was sent).
const latencies: number[] = []
for (const session of sessions) {
  for (const [k, sent] of session.sentOnsets.entries()) {
    const nextSent = session.sentOnsets[k + 1] ?? Number.POSITIVE_INFINITY
    const heard = session.heardOnsets.find((at) => at > sent && at < nextSent)
    if (heard !== undefined) latencies.push(heard - sent)
  }
}
const onsetsSent = sessions.reduce((sum, s) => sum + s.sentOnsets.length, 0)
for (const session of sessions) session.ws.close()
agent.ws.close()
await stack.close()

const sorted = latencies.sort((a, b) => a - b)
const at = (q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN) * 10) / 10
const perSession = Math.round((cpuPct / SESSIONS) * 100) / 100
process.stdout.write(
  `${SESSIONS} bridged sessions, ${latencies.length}/${onsetsSent} onsets heard: mouth-to-ear p50 ${at(0.5)} ms, p95 ${at(0.95)} ms\n`,
)
process.stdout.write(`signal server CPU ${Math.round(cpuPct)} % of one core, ${perSession} % per session\n`)
process.stdout.write(
  `BENCH ${JSON.stringify({ bridge_p50_ms: at(0.5), bridge_p95_ms: at(0.95), cpu_pct_per_session: perSession })}\n`,
)
process.exit(0)
