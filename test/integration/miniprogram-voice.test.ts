// @vitest-environment jsdom
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type LivekitProcess, RoomBot } from '@kefu/signal'
import simulate from 'miniprogram-simulate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeWx } from '../helpers/fakeWx'
import { freeLivekitPort, startTestLivekit, TEST_LIVEKIT } from '../helpers/livekit'
import { spawnServer } from '../helpers/spawnedServer'
import { TestClient } from '../helpers/TestClient'
import { collectSamples, playTone, powerAt, SAMPLE_RATE } from '../helpers/tone'

const WECHAT_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../packages/client/dist-mp/wechat')
const CALL_RATE = 16_000

interface Rendered {
  instance: { data: { view: { call: string } } }
  querySelector(selector: string): { dispatchEvent(name: string, detail?: object): void }
  attach(parent: unknown): void
}

let server: Awaited<ReturnType<typeof spawnServer>>
let livekit: LivekitProcess
let dataDir: string
let agent: TestClient
let agentToken: string
let wx: FakeWx
let page: Rendered
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kefu-mp-voice-'))
  const port = await freeLivekitPort()
  server = await spawnServer(dataDir, 0, {
    LIVEKIT_URL: `ws://127.0.0.1:${port}`,
    LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
  })
  livekit = await startTestLivekit(port, `${server.url}/livekit/webhook`)
  const login = await fetch(`${server.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'carol', password: 'kefu-demo' }),
  })
  agentToken = ((await login.json()) as { token: string }).token
  agent = await TestClient.open(`${server.url.replace('http', 'ws')}/ws?token=${agentToken}`)
  await agent.hello('agent-desk')
  wx = new FakeWx()
  const globals = globalThis as unknown as {
    wx?: Record<string, unknown>
    document: { createElement(tag: string): unknown }
  }
  globals.wx ??= {}
  wx.install(globals.wx)
  page = simulate.render(simulate.load(join(WECHAT_DIST, 'components/kefu-chat/index')), {
    server: server.url,
  }) as unknown as Rendered
  page.attach(globals.document.createElement('div'))
})
afterAll(async () => {
  await agent?.close()
  server?.process.kill('SIGTERM')
  await livekit?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('a voice call from the WeChat mini-program, through the bridge', () => {
  it('is heard by the agent in the room, and the agent is heard in the mini-program', async () => {
    const assigned = await agent.waitFor('conversation.assigned', () => true, 10_000)
    const conversationId = assigned.conversation.id
    await simulate.sleep(50)
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

    page.querySelector('.call').dispatchEvent('tap')
    await expect.poll(() => page.instance.data.view.call).toBe('idle')
    await agentBot.leave()
  })
})
