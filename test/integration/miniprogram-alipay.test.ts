import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerFrameOf } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALIPAY_DIST, type AlipayChat, type FakeMy, startAlipayHarness } from '../helpers/alipayMiniProgram'
import { switchDemoOutage } from '../helpers/spawnedServer'
import type { TestClient } from '../helpers/TestClient'

let harness: Awaited<ReturnType<typeof startAlipayHarness>>
let agent: TestClient
let my: FakeMy
let chat: AlipayChat
beforeAll(async () => {
  harness = await startAlipayHarness()
  ;({ agent, my, chat } = harness)
})
afterAll(async () => harness?.stop())

const texts = () => chat.data.view.messages.map((m) => m.text)
function type(text: string): void {
  chat.tap('onInput', { detail: { value: text } })
  chat.tap('onSend')
}
// The one conversation every test here continues: the agent is told of it once.
let assignment: Promise<ServerFrameOf<'conversation.assigned'>> | undefined
const assignedConversation = () => (assignment ??= agent.waitFor('conversation.assigned', () => true, 10_000))
const agentBodies = () =>
  agent.frames.flatMap((f) =>
    f.t === 'message.new' && f.message.authorRole === 'customer' ? [f.message.body] : [],
  )

describe('the Alipay mini-program chat (built component, Alipay-shaped my, real server)', () => {
  it('connects, is routed as an Alipay conversation, and carries a message each way', async () => {
    const assigned = await assignedConversation()
    expect(assigned.conversation.channel).toBe('alipay')
    await expect.poll(() => chat.data.view.headline, { timeout: 10_000 }).toContain('Carol Zhang')
    type('支付宝里的问题')
    await agent.waitFor('message.new', (f) => f.message.body === '支付宝里的问题')
    await agent.say(assigned.conversation.id, '客服的回答')
    await expect.poll(texts).toContain('客服的回答')
    expect(my.device.storage.get('kefu.session')).toBeTruthy()
  })

  it('shows an emergency playbook’s banner while it is on', async () => {
    await switchDemoOutage(harness.server.url, true)
    await expect.poll(() => chat.data.view.banner).toMatch(/^支付通道正在抢修/)
    await switchDemoOutage(harness.server.url, false)
    await expect.poll(() => chat.data.view.banner).toBe('')
  })

  it('keeps messages typed offline in my storage and sends each exactly once when the network returns', async () => {
    my.device.setNetwork(false)
    await expect.poll(() => chat.data.view.status).toBe('offline')
    type('离线消息一')
    type('离线消息二')
    expect(my.device.storage.get('kefu.outbox')).toContain('离线消息二')
    my.device.setNetwork(true)
    await agent.waitFor('message.new', (f) => f.message.body === '离线消息二', 10_000)
    // Every send acknowledged, so the server has taken each one it will ever be sent; a copy the
    // agent would get was fanned out before the ping is answered.
    await expect.poll(() => chat.data.view.messages.some((m) => m.meta.endsWith('发送中…'))).toBe(false)
    await agent.roundTrip()
    expect(agentBodies().filter((b) => b === '离线消息一')).toHaveLength(1)
    expect(agentBodies().filter((b) => b === '离线消息二')).toHaveLength(1)
  })

  it('shrugs off malformed frames from the server', async () => {
    const socket = my.device.openSocket
    expect(socket).toBeDefined()
    for (const garbage of ['not json', '{"t":"message.new","message":{"oops":1}}', '{"t":"nope"}', '[]'])
      socket?.deliver(garbage)
    type('坏帧之后')
    await agent.waitFor('message.new', (f) => f.message.body === '坏帧之后')
    expect(chat.data.view.status).toBe('online')
  })

  it('asks for a rating once resolved; a star’s tap (as the AXML binds it) rates the conversation', async () => {
    const assigned = await assignedConversation()
    agent.send({ t: 'conversation.resolve', conversationId: assigned.conversation.id })
    await expect.poll(() => chat.data.view.askRating, { timeout: 10_000 }).toBe(true)
    const axml = readFileSync(join(ALIPAY_DIST, 'components/kefu-chat/index.axml'), 'utf8')
    expect(axml).toMatch(/class="star" data-score="\{\{item\}\}" onTap="onRate"/)
    chat.tap('onRate', { currentTarget: { dataset: { score: 2 } } })
    const rated = await agent.waitFor(
      'message.new',
      (frame) => frame.message.kind === 'event' && frame.message.body.includes('"rated"'),
    )
    expect(JSON.parse(rated.message.body)).toEqual({ event: 'rated', score: 2 })
    await expect.poll(() => chat.data.view.askRating).toBe(false)
  })
})
