// bench:voice — how long a customer waits to hear the agent: from asking the signal server for a
// LiveKit token to the first audible frame of the agent's voice, over 20 sequential joins against a
// real LiveKit server and the real signal server (each its own process).
import { benchSettings } from '@kefu/shared/testing'
import { AudioFrame } from '@livekit/rtc-node'
import { RoomBot } from '../src/livekit/RoomBot'
import { BENCH_PASSWORD, openBenchSocket, startBenchStack } from './stack'

const setting = benchSettings(process.env)
const JOINS = setting.number('BENCH_JOINS', 20, 2)
const SAMPLE_RATE = 48_000

const stack = await startBenchStack({ agents: { voice: 5 }, livekitPort: 27_880 })
const agentToken = (await stack.post('/api/agent/login', { login: 'voice', password: BENCH_PASSWORD })).token
const customerToken = (await stack.post('/api/customer/session', { guestName: 'Caller' })).token
const agent = await openBenchSocket(stack.base, agentToken, 'agent')
const customer = await openBenchSocket(stack.base, customerToken, 'customer')
customer.ws.send(JSON.stringify({ t: 'conversation.open', channel: 'web' }))
const conversationId = ((await customer.take('conversation.assigned')) as { conversation: { id: string } })
  .conversation.id
customer.ws.send(JSON.stringify({ t: 'voice.start', conversationId }))
await agent.take('conversation.updated')
const tokenPath = `/api/conversations/${conversationId}/voice-token`

// The agent is in the room and speaking a steady tone, as a person would be.
const agentBot = new RoomBot()
await agentBot.join(stack.livekitUrl ?? '', (await stack.post(tokenPath, {}, agentToken)).token)
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
  const { token, url } = await stack.post(tokenPath, {}, customerToken)
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
await stack.close()

const sorted = [...joinTimes].sort((a, b) => a - b)
const at = (q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN) * 10) / 10
process.stdout.write(
  `token request to first audible frame, ${JOINS} joins: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms\n`,
)
process.stdout.write(`BENCH ${JSON.stringify({ join_p50_ms: at(0.5), join_p95_ms: at(0.95) })}\n`)
process.exit(0)
