// @vitest-environment jsdom

import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerFrameOf } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeWx } from '../helpers/fakeWx'
import { TINY_AAC, TINY_PNG } from '../helpers/media'
import { type RenderedChat, startMiniProgramHarness, WECHAT_DIST } from '../helpers/miniProgram'
import { switchDemoOutage } from '../helpers/spawnedServer'
import type { TestClient } from '../helpers/TestClient'

const MAIN_PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024

let harness: Awaited<ReturnType<typeof startMiniProgramHarness>>
let agent: TestClient
let wx: FakeWx
let page: RenderedChat
beforeAll(async () => {
  harness = await startMiniProgramHarness()
  ;({ agent, wx, page } = harness)
})
afterAll(async () => harness?.stop())

const texts = () => page.instance.data.view.messages.map((m) => m.text)
/** Types and taps send as a person would; the simulator delivers events asynchronously. */
async function type(text: string): Promise<void> {
  page.querySelector('.box').dispatchEvent('input', { detail: { value: text } })
  await expect.poll(() => page.instance.data.draft).toBe(text)
  page.querySelector('.send').dispatchEvent('tap')
  await expect.poll(texts).toContain(text)
}
// The one conversation every test here continues: the agent is told of it once.
let assignment: Promise<ServerFrameOf<'conversation.assigned'>> | undefined
const assignedConversation = () => (assignment ??= agent.waitFor('conversation.assigned', () => true, 10_000))
const agentBodies = () =>
  agent.frames.flatMap((f) =>
    f.t === 'message.new' && f.message.authorRole === 'customer' ? [f.message.body] : [],
  )

describe('the WeChat mini-program chat (miniprogram-simulate, real server)', () => {
  it('connects, is routed, and carries a message each way', async () => {
    const assigned = await assignedConversation()
    expect(assigned.conversation.channel).toBe('wechat')
    await expect.poll(() => page.instance.data.view.headline, { timeout: 10_000 }).toContain('Carol Zhang')
    await type('小程序里的问题')
    await agent.waitFor('message.new', (f) => f.message.body === '小程序里的问题')
    await agent.say(assigned.conversation.id, '客服的回答')
    await expect.poll(texts).toContain('客服的回答')
    expect(page.dom.textContent).toContain('客服的回答')
  })

  it('shows an emergency playbook’s banner while it is on, and drops it when it is off', async () => {
    await switchDemoOutage(harness.server.url, true)
    await expect.poll(() => page.dom.textContent).toContain('支付通道正在抢修，付款可能失败')
    await switchDemoOutage(harness.server.url, false)
    await expect.poll(() => page.dom.textContent.includes('支付通道正在抢修')).toBe(false)
  })

  it('keeps messages typed offline and sends each exactly once when the network returns', async () => {
    wx.setNetwork(false)
    await expect.poll(() => page.instance.data.view.status).toBe('offline')
    await type('离线消息一')
    await type('离线消息二')
    expect(
      page.instance.data.view.messages.filter((m) => m.meta.endsWith('发送中…')).map((m) => m.text),
    ).toEqual(['离线消息一', '离线消息二'])
    expect(wx.storage.get('kefu.outbox')).toContain('离线消息二')
    wx.setNetwork(true)
    await agent.waitFor('message.new', (f) => f.message.body === '离线消息二', 10_000)
    // Every send acknowledged, so the server has taken each one it will ever be sent; a copy the
    // agent would get was fanned out before the ping is answered.
    await expect
      .poll(() => page.instance.data.view.messages.some((m) => m.meta.endsWith('发送中…')))
      .toBe(false)
    await agent.roundTrip()
    expect(agentBodies().filter((b) => b === '离线消息一')).toHaveLength(1)
    expect(agentBodies().filter((b) => b === '离线消息二')).toHaveLength(1)
  })

  it('shrugs off malformed frames from the server', async () => {
    const socket = wx.openSocket
    expect(socket).toBeDefined()
    for (const garbage of ['not json', '{"t":"message.new","message":{"oops":1}}', '{"t":"nope"}', '[]'])
      socket?.deliver(garbage)
    await type('坏帧之后')
    await agent.waitFor('message.new', (f) => f.message.body === '坏帧之后')
    expect(page.instance.data.view.status).toBe('online')
  })

  it('shows a message the server refuses as not sent, never resends it by itself, and discards it on tap', async () => {
    const tooLong = '长'.repeat(4001)
    await type(tooLong)
    const refusedRow = () => page.instance.data.view.messages.find((m) => m.text === tooLong)
    await expect.poll(() => refusedRow()?.refused).toBe('未发送：发送被拒绝')
    expect(page.dom.textContent).toContain('未发送：发送被拒绝')
    // A reconnect used to resend it, to be refused again, forever.
    wx.setNetwork(false)
    await expect.poll(() => page.instance.data.view.status).toBe('offline')
    wx.setNetwork(true)
    await expect.poll(() => page.instance.data.view.status, { timeout: 10_000 }).toBe('online')
    await type('拒绝之后')
    await agent.waitFor('message.new', (f) => f.message.body === '拒绝之后')
    expect(agentBodies()).not.toContain(tooLong)
    expect(refusedRow()?.refused).toBe('未发送：发送被拒绝')
    page.querySelector('.refused .discard').dispatchEvent('tap')
    await expect.poll(() => refusedRow()).toBeUndefined()
    expect(wx.storage.get('kefu.outbox') ?? '').not.toContain('长长长')
  })
})

describe('photos, voice notes and quick replies', () => {
  it('picks, compresses, uploads and sends a photo the agent can open', async () => {
    wx.files.set('wxfile://tmp/photo.png', TINY_PNG)
    page.querySelector('.pick-image').dispatchEvent('tap')
    const received = await agent.waitFor('message.new', (f) => f.message.kind === 'image', 10_000)
    const url = received.message.attachment?.url ?? ''
    const image = await fetch(url)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await image.arrayBuffer()).equals(TINY_PNG)).toBe(true)
    await expect
      .poll(() => page.instance.data.view.messages.some((m) => (m as { image?: string }).image === url))
      .toBe(true)
  })

  it('records, uploads and sends a voice note that plays when tapped', async () => {
    wx.files.set('wxfile://tmp/voice.aac', TINY_AAC)
    page.querySelector('.voice').dispatchEvent('tap')
    await expect.poll(() => page.instance.data.recording).toBe(true)
    page.querySelector('.voice').dispatchEvent('tap')
    const received = await agent.waitFor('message.new', (f) => f.message.kind === 'voice', 10_000)
    expect(received.message.attachment).toMatchObject({ mime: 'audio/aac', durationMs: 3200 })
    await expect.poll(() => page.instance.data.view.messages.some((m) => m.voice !== '')).toBe(true)
    page.querySelector('.voice-note').dispatchEvent('tap')
    await expect.poll(() => wx.played).toEqual([received.message.attachment?.url])
  })

  it('sends a quick reply with one tap', async () => {
    // As if the integrator passed quick-replies="{{['查询订单']}}" to the component.
    ;(page.instance as unknown as { setData(patch: object): void }).setData({ quickReplies: ['查询订单'] })
    await expect.poll(() => page.querySelectorAll('.quick-reply').length).toBe(1)
    page.querySelector('.quick-reply').dispatchEvent('tap')
    await agent.waitFor('message.new', (f) => f.message.body === '查询订单')
  })
})

describe('history on a second device', () => {
  it('loads the latest page of a long conversation and pages back on request', async () => {
    const conversationId = (await assignedConversation()).conversation.id
    let lastSeq = 0
    for (let i = 1; i <= 60; i++) lastSeq = (await agent.say(conversationId, `第${i}条`)).seq
    await expect.poll(() => texts().includes('第60条')).toBe(true)
    // The same customer on another device: same session, a device id of its own.
    wx.storage.delete('kefu.device')
    const second = harness.render()
    const secondTexts = () =>
      second.instance.data.view.messages.filter((m) => !m.meta.endsWith('发送中…')).length
    await expect
      .poll(() => second.instance.data.view.messages.at(-1)?.text, { timeout: 10_000 })
      .toBe('第60条')
    expect(secondTexts()).toBe(50)
    expect((second.instance.data.view as { hasOlder?: boolean }).hasOlder).toBe(true)
    while ((second.instance.data.view as { hasOlder?: boolean }).hasOlder) {
      const before = secondTexts()
      second.querySelector('.older').dispatchEvent('tap')
      await expect.poll(secondTexts).toBeGreaterThan(before)
    }
    // Every message is there; the conversation's creation record (seq 1) has no row of its own.
    expect(secondTexts()).toBe(lastSeq - 1)
  })
})

describe('the rating on resolve', () => {
  it('shows the stars once the agent resolves, and one tap rates the conversation', async () => {
    const assigned = await assignedConversation()
    expect(page.instance.data.view.askRating).toBe(false)
    agent.send({ t: 'conversation.resolve', conversationId: assigned.conversation.id, code: 'answered' })
    await expect.poll(() => page.instance.data.view.askRating, { timeout: 10_000 }).toBe(true)
    const stars = page.querySelectorAll('.star')
    expect(stars).toHaveLength(5)
    stars[3]?.dispatchEvent('tap')
    const rated = await agent.waitFor(
      'message.new',
      (frame) => frame.message.kind === 'event' && frame.message.body.includes('"rated"'),
    )
    expect(JSON.parse(rated.message.body)).toEqual({ event: 'rated', score: 4 })
    await expect.poll(() => page.instance.data.view.askRating).toBe(false)
    await expect.poll(texts).toContain('服务评价：★★★★☆，感谢您的反馈')
  })
})

describe('when kefu3d cannot be reached', () => {
  it('offers WeChat’s own customer-service chat instead of leaving the customer stranded', async () => {
    wx.storage.delete('kefu.session')
    const stranded = harness.render('http://127.0.0.1:9')
    await expect
      .poll(() => (stranded.instance.data as unknown as { fallback: boolean }).fallback, { timeout: 10_000 })
      .toBe(true)
    expect(stranded.querySelector('.native')).toBeTruthy()
    expect(stranded.instance.data.view.headline).toBe('在线客服暂时无法连接')
  })
})

describe('the built WeChat project', () => {
  it('keeps its main package under WeChat’s 2 MB limit', () => {
    const bytes = (folder: string): number =>
      readdirSync(folder).reduce((sum, name) => {
        const path = join(folder, name)
        return sum + (statSync(path).isDirectory() ? bytes(path) : statSync(path).size)
      }, 0)
    const size = bytes(WECHAT_DIST)
    expect(size).toBeGreaterThan(10_000)
    expect(size).toBeLessThan(MAIN_PACKAGE_LIMIT_BYTES)
  })
})
