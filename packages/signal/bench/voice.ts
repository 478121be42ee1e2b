// bench:voice — how long a customer waits to hear the agent: from asking the signal server for a
// LiveKit token to the first audio frame of the agent's voice, over 20 sequential joins against a
// real LiveKit server and the real signal server (each its own process).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { asTeamId, asUserId, PROTOCOL_VERSION } from '@kefu/shared'
import { AudioFrame } from '@livekit/rtc-node'
import WebSocket from 'ws'
import { hashPassword } from '../src/auth/passwords'
import { LivekitProcess } from '../src/livekit/LivekitProcess'
import { ensureLivekitBinary } from '../src/livekit/livekitBinary'
import { RoomBot } from '../src/livekit/RoomBot'
import { SqliteRepository } from '../src/store/SqliteRepository'
import { spawnListening } from './load'

const here = dirname(fileURLToPath(import.meta.url))
const JOINS = Number(process.env.BENCH_JOINS ?? 20)
const SAMPLE_RATE = 48_000
const LIVEKIT_PORT = 27_880
const keys = { apiKey: 'bench-key', apiSecret: 'bench-livekit-secret-0123456789abcdefgh' }

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-voice-'))
const repo = new SqliteRepository(join(dataDir, 'kefu.db'))
await repo.upsertTeam({ id: asTeamId('general'), name: 'General', answerTargetMs: 60_000 })
await repo.createStaff({
  id: asUserId('s_voice'),
  login: 'voice',
  displayName: 'Voice agent',
  role: 'agent',
  passwordHash: await hashPassword('bench'),
  capacity: 5,
  teams: [asTeamId('general')],
})
await repo.close()

const { child, port } = await spawnListening(join(here, '../dist/src/main.js'), {
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'info',
  KEFU_DEV: '0',
  NODE_ENV: 'production',
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

function socket(
  token: string,
): Promise<{ ws: WebSocket; next: (t: string) => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`)
  const frames: Record<string, unknown>[] = []
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())))
  const next = async (t: string) => {
    for (;;) {
      const found = frames.find((frame) => frame.t === t)
      if (found) return found
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  return new Promise((resolve) =>
    ws.once('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: 'bench' }))
      resolve({ ws, next })
    }),
  )
}

const agentToken = (await post('/api/agent/login', { login: 'voice', password: 'bench' })).token
const customerToken = (await post('/api/customer/session', { guestName: 'Caller' })).token
const agent = await socket(agentToken)
const customer = await socket(customerToken)
await customer.next('welcome')
customer.ws.send(JSON.stringify({ t: 'conversation.open', channel: 'web' }))
const conversationId = ((await customer.next('conversation.assigned')) as { conversation: { id: string } })
  .conversation.id
customer.ws.send(JSON.stringify({ t: 'voice.start', conversationId }))
await agent.next('conversation.updated')

// The agent is in the room and speaking a steady tone, as a person would be.
const agentBot = new RoomBot()
await agentBot.join(
  livekit.url,
  (await post(`/api/conversations/${conversationId}/voice-token`, {}, agentToken)).token,
)
const source = await agentBot.publishAudio(SAMPLE_RATE)
let speaking = true
void (async () => {
  let offset = 0
  while (speaking) {
    const samples = new Int16Array(480)
    for (let i = 0; i < 480; i++)
      samples[i] = Math.round(10_000 * Math.sin((2 * Math.PI * 440 * (offset + i)) / SAMPLE_RATE))
    offset += 480
    await source.captureFrame(new AudioFrame(samples, SAMPLE_RATE, 1, 480))
  }
})()

const joinTimes: number[] = []
for (let i = 0; i < JOINS; i++) {
  const started = performance.now()
  const { token, url } = await post(`/api/conversations/${conversationId}/voice-token`, {}, customerToken)
  const bot = new RoomBot()
  await bot.join(url, token)
  const heard = await bot.firstRemoteAudio(SAMPLE_RATE)
  for await (const frame of heard.frames) {
    if (frame.data.some((sample) => Math.abs(sample) > 1000)) break
  }
  joinTimes.push(performance.now() - started)
  await bot.leave()
  process.stderr.write(`  join ${i + 1}: ${Math.round(joinTimes.at(-1) ?? 0)} ms\n`)
}
speaking = false
await agentBot.leave()
agent.ws.close()
customer.ws.close()
child.kill('SIGTERM')
await livekit.stop()
rmSync(dataDir, { recursive: true, force: true })

const sorted = [...joinTimes].sort((a, b) => a - b)
const at = (q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN) * 10) / 10
process.stdout.write(
  `token request to first audible frame, ${JOINS} joins: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms\n`,
)
process.stdout.write(`BENCH ${JSON.stringify({ join_p50_ms: at(0.5), join_p95_ms: at(0.95) })}\n`)
process.exit(0)
