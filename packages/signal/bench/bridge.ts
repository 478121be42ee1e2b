// bench:bridge — 20 mini-program voice sessions at once through the signal server's bridge.
// Mouth-to-ear: a simulated recorder starts a tone (PCM frames over the signal WebSocket); an agent
// participant in the LiveKit room detects its onset. Also prints the signal server's CPU per session.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AudioFrameKind, asTeamId, asUserId, encodeAudioFrame, PROTOCOL_VERSION } from '@kefu/shared'
import WebSocket from 'ws'
import { hashPassword } from '../src/auth/passwords'
import { LivekitProcess } from '../src/livekit/LivekitProcess'
import { ensureLivekitBinary } from '../src/livekit/livekitBinary'
import { RoomBot } from '../src/livekit/RoomBot'
import { SqliteRepository } from '../src/store/SqliteRepository'
import { spawnListening } from './load'

const here = dirname(fileURLToPath(import.meta.url))
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 20)
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10)
const RATE = 16_000
const FRAME = 320 // 20 ms
const TONE_MS = 300
const ONSET_THRESHOLD = 2000
const LIVEKIT_PORT = 28_880
const keys = { apiKey: 'bench-key', apiSecret: 'bench-livekit-secret-0123456789abcdefgh' }

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-bridge-'))
const repo = new SqliteRepository(join(dataDir, 'kefu.db'))
await repo.upsertTeam({ id: asTeamId('general'), name: 'General', answerTargetMs: 60_000 })
await repo.createStaff({
  id: asUserId('s_bridge'),
  login: 'bridge',
  displayName: 'Agent',
  role: 'agent',
  passwordHash: await hashPassword('bench'),
  capacity: SESSIONS,
  teams: [asTeamId('general')],
})
await repo.close()
const { child, port } = await spawnListening(join(here, '../dist/src/main.js'), {
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'info',
  KEFU_DEV: '0',
  NODE_ENV: 'production',
  AUTH_RATE_LIMIT_PER_MIN: '100000',
  SESSION_SECRET: 'bench-session-secret-0123456789-abcdef',
  APP_SECRET: 'bench-app-secret-0123',
  LIVEKIT_URL: `ws://127.0.0.1:${LIVEKIT_PORT}`,
  LIVEKIT_API_KEY: keys.apiKey,
  LIVEKIT_API_SECRET: keys.apiSecret,
})
const base = `http://127.0.0.1:${port}`
const livekit = await LivekitProcess.start({
  binary: ensureLivekitBinary(join(here, '../../../.cache/livekit')),
  workDir: join(dataDir, 'livekit'),
  port: LIVEKIT_PORT,
  ...keys,
  webhookUrl: `${base}/livekit/webhook`,
})

const post = async (path: string, body: object, token?: string) =>
  (await (
    await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
  ).json()) as { token: string; url: string }

function openSocket(
  token: string,
): Promise<{ ws: WebSocket; waitFor: (t: string) => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`)
  const frames: Record<string, unknown>[] = []
  ws.on('message', (data, isBinary) => void (isBinary || frames.push(JSON.parse(data.toString()))))
  const waitFor = async (t: string) => {
    for (;;) {
      const index = frames.findIndex((frame) => frame.t === t)
      if (index >= 0) return frames.splice(index, 1)[0] ?? {}
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  return new Promise((resolve) =>
    ws.once('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: 'bench' }))
      resolve({ ws, waitFor })
    }),
  )
}

const agentToken = (await post('/api/agent/login', { login: 'bridge', password: 'bench' })).token
const agent = await openSocket(agentToken)
interface Session {
  ws: WebSocket
  sentOnsets: number[]
  heardOnsets: number[]
}
const sessions: Session[] = []
for (let i = 0; i < SESSIONS; i++) {
  const customer = await openSocket((await post('/api/customer/session', { guestName: `Mini ${i}` })).token)
  customer.ws.send(JSON.stringify({ t: 'conversation.open', channel: 'wechat' }))
  const conversationId = (
    (await customer.waitFor('conversation.assigned')) as { conversation: { id: string } }
  ).conversation.id
  customer.ws.send(JSON.stringify({ t: 'voice.start', conversationId }))
  await agent.waitFor('conversation.updated')
  customer.ws.send(JSON.stringify({ t: 'voice.bridge.start', conversationId, sampleRate: RATE }))
  await customer.waitFor('voice.bridge.ready')
  const session: Session = { ws: customer.ws, sentOnsets: [], heardOnsets: [] }
  const bot = new RoomBot()
  await bot.join(
    livekit.url,
    (await post(`/api/conversations/${conversationId}/voice-token`, {}, agentToken)).token,
  )
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
child.kill('SIGTERM')
await livekit.stop()
rmSync(dataDir, { recursive: true, force: true })

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
