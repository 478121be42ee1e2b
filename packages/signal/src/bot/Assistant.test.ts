import { asClientMessageId, type ConversationId, DEFAULT_BOT_POLICY, type Message } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { NO_INTEGRATOR } from '../integrator/Integrator'
import { JiebaThread } from '../knowledge/JiebaThread'
import { KnowledgeBase } from '../knowledge/KnowledgeBase'
import { NO_COMPOSER } from '../llm/AnswerComposer'
import type { Repository } from '../store/Repository'
import { alice, coreOn, customer, storesClosedAfterEach } from '../testing/inProcessCore'
import { Assistant } from './Assistant'

const FAQS = [
  {
    id: 'refund-time',
    tier: 'faq',
    lang: 'zh',
    questions: ['退款多久到账', '退款什么时候到', '钱多久退回来'],
    answer: '退款审核通过后 1-3 个工作日原路退回。',
  },
  {
    id: 'invoice',
    tier: 'faq',
    lang: 'zh',
    questions: ['怎么开发票', '发票在哪里开'],
    answer: '在订单详情点「申请开票」即可。',
  },
]

/** The assistant on the in-process core, its answers from a two-entry knowledge base on jieba's thread. */
async function assistantOn(repo: Repository) {
  const { core, clock, ports, logger } = await coreOn(repo, { botFirst: true })
  const knowledge = new KnowledgeBase(repo, clock, JiebaThread.shared(), { announce: () => {} })
  await knowledge.load()
  await knowledge.importText(FAQS.map((faq) => JSON.stringify(faq)).join('\n'), 'jsonl', 'test')
  const assistant = new Assistant({
    knowledge,
    emergency: { answers: () => false },
    hold: core.hold,
    history: core.history,
    conversations: core.conversations,
    writer: core.writer,
    integrator: NO_INTEGRATOR,
    composer: NO_COMPOSER,
    policy: DEFAULT_BOT_POLICY,
    botFirst: true,
    logger,
  })
  core.events.subscribe('message.stored', (event) => assistant.handleMessageStored(event))
  // The customer's devices: each frame that reaches them, waited for by what it says.
  type Frame = { t: string; message?: Message }
  const waiters: { ok: (frame: Frame) => boolean; resolve: () => void }[] = []
  await ports.bus.subscribe('user:ada', (payload) => {
    const frame = JSON.parse(payload) as Frame
    for (const waiter of [...waiters])
      if (waiter.ok(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
  })
  const arrives = (ok: (frame: Frame) => boolean) =>
    new Promise<void>((resolve) => waiters.push({ ok, resolve }))
  const botSays = (pattern: RegExp) =>
    arrives(({ message: m }) => m?.authorRole === 'bot' && m.kind === 'text' && pattern.test(m.body))
  const queued = () => arrives((frame) => frame.t === 'conversation.queued')
  const ada = customer('ada')
  let sent = 0
  const say = (id: ConversationId, body: string) =>
    core.messaging.send(ada, {
      conversationId: id,
      cid: asClientMessageId(`ada-${++sent}`),
      kind: 'text',
      body,
    })
  return { core, ada, say, botSays, queued }
}

describe('the assistant, in process', () => {
  const store = storesClosedAfterEach()

  it('answers from the entry a question matches, and the conversation stays with it until the customer asks for a person', async () => {
    const repo = await store()
    const { core, ada, say, botSays, queued } = await assistantOn(repo)
    const opened = await core.lifecycle.open(ada, 'web')
    const answered = botSays(/1-3 个工作日/)
    await say(opened.id, '我的退款多久能到账？')
    await answered
    const now = await repo.getConversation(opened.id)
    expect(now && (await core.hold.holds(now))).toBe(true)
    expect(now?.agentId).toBeNull()
    const [handedOver, inLine] = [botSays(/正在为您转接人工客服/), queued()]
    await say(opened.id, '转人工')
    await Promise.all([handedOver, inLine])
    await core.desk.online(alice)
    expect(await repo.getConversation(opened.id)).toMatchObject({ state: 'assigned', agentId: alice.userId })
  })

  it('hands over at once a question it cannot answer well, saying so', async () => {
    const repo = await store()
    const { core, ada, say, botSays, queued } = await assistantOn(repo)
    const opened = await core.lifecycle.open(ada, 'web')
    const [handedOver, inLine] = [botSays(/这个问题我还答不好/), queued()]
    await say(opened.id, '你们仓库的猫叫什么名字')
    await Promise.all([handedOver, inLine])
    const now = await repo.getConversation(opened.id)
    expect(now && (await core.hold.holds(now))).toBe(false)
  })
})
