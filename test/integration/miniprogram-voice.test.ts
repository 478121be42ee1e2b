// @vitest-environment jsdom
import { type LivekitProcess, RoomBot } from '@kefu/signal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeLivekitPort, startTestLivekit, TEST_LIVEKIT } from '../helpers/livekit'
import { startMiniProgramHarness } from '../helpers/miniProgram'
import { collectSamples, playTone, powerAt, SAMPLE_RATE } from '../helpers/tone'

const CALL_RATE = 16_000

let harness: Awaited<ReturnType<typeof startMiniProgramHarness>>
let livekit: LivekitProcess
beforeAll(async () => {
  const port = await freeLivekitPort()
  harness = await startMiniProgramHarness({
    LIVEKIT_URL: `ws://127.0.0.1:${port}`,
    LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
  })
  // LiveKit only needs to be up when voice starts; its webhooks point back at the server.
  livekit = await startTestLivekit(port, `${harness.server.url}/livekit/webhook`)
})
afterAll(async () => {
  await harness?.stop()
  await livekit?.stop()
})

describe('a voice call from the WeChat mini-program, through the bridge', () => {
  it('is heard by the agent in the room, and the agent is heard in the mini-program', async () => {
    const { agent, agentToken, wx, page, server } = harness
    const assigned = await agent.waitFor('conversation.assigned', () => true, 10_000)
    const conversationId = assigned.conversation.id
    await expect.poll(() => page.instance.data.view.canCall).toBe(true)
    page.querySelector('.call').dispatchEvent('tap')
    await expect.poll(() => page.instance.data.view.call, { timeout: 10_000 }).toBe('live')
    expect(wx.recorderStarts.at(-1)).toMatchObject({ format: 'PCM', sampleRate: CALL_RATE })

    // The phone's microphone: a 440 Hz tone in 20 ms PCM frames, in real time.
    let offset = 0
    const microphone = setInterval(() => {
      const samples = new Int16Array(320)
      for (let i = 0; i < 320; i++)
        samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * 440 * (offset + i)) / CALL_RATE))
      offset += 320
      wx.recordPcm(samples)
    }, 20)

    const tokenResponse = await fetch(`${server.url}/api/conversations/${conversationId}/voice-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
      body: '{}',
    })
    const { url, token } = (await tokenResponse.json()) as { url: string; token: string }
    const agentBot = new RoomBot()
    await agentBot.join(url, token)
    const heard = await agentBot.firstRemoteAudio(SAMPLE_RATE)
    expect(heard.identity).toBe(assigned.conversation.customerId)
    const samples = await collectSamples(heard.frames, SAMPLE_RATE)
    clearInterval(microphone)
    const tail = samples.subarray(SAMPLE_RATE / 2)
    for (const other of [220, 330, 660, 880])
      expect(powerAt(tail, 440)).toBeGreaterThan(20 * powerAt(tail, other))

    const stopAgent = playTone(await agentBot.publishAudio(SAMPLE_RATE), 660)
    await expect.poll(() => wx.playedPcm.length, { timeout: 10_000 }).toBeGreaterThan(60)
    stopAgent()
    const played = Int16Array.from(
      wx.playedPcm.slice(-40).flatMap((chunk) => [...chunk].map((v) => Math.round(v * 32767))),
    )
    for (const other of [220, 440, 880, 1000])
      expect(powerAt(played, 660, CALL_RATE)).toBeGreaterThan(20 * powerAt(played, other, CALL_RATE))

    // Stepping into the hall: the chat's bridge ends (two under one identity cannot overlap) and
    // leaves word for the hall page, which calls again.
    page.querySelector('.kefu-hall').dispatchEvent('tap')
    await expect.poll(() => wx.navigated.at(-1)).toMatch(/^\/packages\/hall\/pages\/hall\/index\?server=/)
    expect(page.instance.data.view.call).toBe('idle')
    expect(wx.storage.get('kefu.call.carried')).toBe(conversationId)
    // Back from the hall, where the call was on (the hall page left the same word): it goes on here.
    page.triggerPageLifeTime('show')
    await expect.poll(() => page.instance.data.view.call, { timeout: 10_000 }).toBe('live')
    expect(wx.storage.has('kefu.call.carried')).toBe(false)

    page.querySelector('.call').dispatchEvent('tap')
    await expect.poll(() => page.instance.data.view.call).toBe('idle')
    await agentBot.leave()
  })
})
