import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame } from '@kefu/shared'
import { RoomBot } from '@kefu/signal'
import { describe, expect, it } from 'vitest'
import { serverWithLivekitPerTest } from '../helpers/livekit'
import type { TestClient } from '../helpers/TestClient'
import { collectSamples, playTone, powerAt, SAMPLE_RATE } from '../helpers/tone'

const BRIDGE_RATE = 16_000
const FRAME_SAMPLES = 320 // 20 ms, what a mini-program recorder's onFrameRecorded typically delivers

const live = serverWithLivekitPerTest()

/** Plays a tone as a mini-program recorder would: 20 ms PCM frames over the socket, in real time. */
function simulateRecorder(client: TestClient, frequencyHz: number): () => void {
  let offset = 0
  const timer = setInterval(() => {
    const samples = new Int16Array(FRAME_SAMPLES)
    for (let i = 0; i < FRAME_SAMPLES; i++)
      samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * frequencyHz * (offset + i)) / BRIDGE_RATE))
    offset += FRAME_SAMPLES
    client.sendRaw(Buffer.from(encodeAudioFrame(AudioFrameKind.Uplink, samples)))
  }, 20)
  return () => clearInterval(timer)
}

async function bridgedCall(): Promise<{ customer: TestClient; conversationId: string; agentBot: RoomBot }> {
  const agentToken = await live.server.agentToken('bridge-agent', ['general'], 2)
  const agent = await live.server.connect(agentToken)
  const customer = await live.server.connect(await live.server.customerToken({ userId: 'mini-program-user' }))
  const conversationId = (await customer.openConversation()).id
  await customer.waitFor('conversation.assigned')
  customer.send({ t: 'voice.start', conversationId })
  await agent.waitFor('conversation.updated', (frame) => frame.conversation.voiceRoom !== null)
  customer.send({ t: 'voice.bridge.start', conversationId, sampleRate: BRIDGE_RATE })
  expect(await customer.waitFor('voice.bridge.ready', () => true, 10_000)).toMatchObject({
    sampleRate: BRIDGE_RATE,
  })
  const { body } = await live.server.post<{ url: string; token: string }>(
    `/api/conversations/${conversationId}/voice-token`,
    {},
    agentToken,
  )
  const agentBot = new RoomBot()
  await agentBot.join(body.url, body.token)
  return { customer, conversationId, agentBot }
}

describe('the mini-program voice bridge', () => {
  it('carries a recorder’s tone through the server into the room, heard as the customer', async () => {
    const { customer, agentBot } = await bridgedCall()
    const stop = simulateRecorder(customer, 440)
    const heard = await agentBot.firstRemoteAudio(SAMPLE_RATE)
    expect(heard.identity).toBe('u_mini-program-user')
    const samples = await collectSamples(heard.frames, SAMPLE_RATE)
    stop()
    const tail = samples.subarray(SAMPLE_RATE / 2)
    for (const other of [220, 330, 660, 880])
      expect(powerAt(tail, 440)).toBeGreaterThan(20 * powerAt(tail, other))
    await agentBot.leave()
  })

  it('brings the agent’s voice back down the socket as PCM', async () => {
    const { customer, agentBot } = await bridgedCall()
    const stopAgent = playTone(await agentBot.publishAudio(SAMPLE_RATE), 660)
    await expect.poll(() => customer.binary.length, { timeout: 10_000 }).toBeGreaterThan(60)
    stopAgent()
    const pcm = customer.binary.slice(-40).flatMap((bytes) => {
      const decoded = decodeAudioFrame(bytes)
      return decoded.ok && decoded.value.kind === AudioFrameKind.Downlink ? [...decoded.value.samples] : []
    })
    const samples = Int16Array.from(pcm)
    for (const other of [220, 440, 880, 1000])
      expect(powerAt(samples, 660, BRIDGE_RATE)).toBeGreaterThan(20 * powerAt(samples, other, BRIDGE_RATE))
    await agentBot.leave()
  })

  it('stops cleanly when asked, and refuses audio without a bridge', async () => {
    const { customer, conversationId, agentBot } = await bridgedCall()
    customer.send({ t: 'voice.bridge.stop', conversationId })
    expect(await customer.waitFor('voice.bridge.stopped')).toMatchObject({ reason: 'requested' })
    customer.sendRaw(Buffer.from(encodeAudioFrame(AudioFrameKind.Uplink, new Int16Array(320))))
    expect(await customer.waitFor('error', (frame) => frame.code === 'unsupported_frame')).toBeTruthy()
    await agentBot.leave()
  })

  it('refuses a bridge into another customer’s call, and leaves no bridge attached', async () => {
    const { conversationId, agentBot } = await bridgedCall()
    const stranger = await live.server.connect(await live.server.customerToken({ userId: 'stranger' }))
    stranger.send({ t: 'voice.bridge.start', conversationId, sampleRate: BRIDGE_RATE })
    expect(await stranger.waitFor('error', (frame) => frame.ref === 'voice.bridge.start')).toMatchObject({
      code: 'forbidden',
    })
    // Had the refused bridge stayed attached, this audio would go to it instead of being refused.
    stranger.sendRaw(Buffer.from(encodeAudioFrame(AudioFrameKind.Uplink, new Int16Array(FRAME_SAMPLES))))
    expect(await stranger.waitFor('error', (frame) => frame.code === 'unsupported_frame')).toBeTruthy()
    expect(stranger.frames.some((frame) => frame.t === 'voice.bridge.ready')).toBe(false)
    await Promise.all([stranger.close(), agentBot.leave()])
  })
})
