import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Message } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestClient } from '../helpers/TestClient'
import { TestServer } from '../helpers/testServer'
import { until } from '../helpers/until'

// The assistant takes conversations first, answering from the demo knowledge base (development
// seeds it into an empty store).
let server: TestServer
let lead: string

beforeAll(async () => {
  server = await TestServer.start({ BOT_FIRST: '1' })
  lead = await server.agentToken('kb-lead', ['general'], 0, 'supervisor')
})
afterAll(async () => server?.stop())

const eventsOf = (messages: readonly Message[]) =>
  messages.filter((m) => m.kind === 'event').map((m) => JSON.parse(m.body) as Record<string, unknown>)

async function history(conversationId: string): Promise<Message[]> {
  return (await server.get<{ messages: Message[] }>(`/api/conversations/${conversationId}/messages`, lead))
    .body.messages
}

let customers = 0
async function customerAsking(question: string): Promise<{ customer: TestClient; conversationId: string }> {
  const customer = await server.connect(await server.customerToken({ userId: `kb-customer-${++customers}` }))
  const conversation = await customer.openConversation()
  await customer.say(conversation.id, question)
  return { customer, conversationId: conversation.id }
}

const botSays = (customer: TestClient, conversationId: string) =>
  customer.waitFor(
    'message.new',
    (frame) => frame.message.conversationId === conversationId && frame.message.authorRole === 'bot',
  )

describe('the assistant answers first and hands off by its rules', () => {
  it('answers a known question, says it is a bot, and resolves on "solved" with no person (contained)', async () => {
    // An agent is free: the assistant still answers first.
    const agent = await server.connect(await server.agentToken('kb-agent-1', ['general'], 5))
    const { customer, conversationId } = await customerAsking('退款几天能到账')
    const answer = await botSays(customer, conversationId)
    expect(answer.message.body).toContain('机器人')
    expect(answer.message.body).toContain('1-3 个工作日')
    const answered = await until(
      () => history(conversationId),
      (messages) => eventsOf(messages).some((event) => event.event === 'bot.answered'),
    )
    expect(eventsOf(answered).find((event) => event.event === 'bot.answered')).toMatchObject({
      entryId: 'refund-time',
      quickReplies: ['解决了', '没解决', '转人工'],
    })
    await customer.say(conversationId, '解决了')
    const resolved = await customer.waitFor('conversation.resolved')
    expect(resolved.conversation.agentId).toBeNull()
    const events = eventsOf(await history(conversationId)).map((event) => event.event)
    expect(events).not.toContain('queued')
    expect(events).toContain('bot.feedback')
    const usage = await server.get<{ usage: { entryId: string; hits: number; helped: number }[] }>(
      '/api/knowledge',
      lead,
    )
    expect(usage.body.usage.find((use) => use.entryId === 'refund-time')).toMatchObject({
      hits: 1,
      helped: 1,
    })
    const report = await server.get<{ overall: Record<string, { value: number | null; count: number }> }>(
      `/api/quality?source=log&from=${Date.now() - 600_000}&to=${Date.now() + 1}`,
      lead,
    )
    expect(report.body.overall.containment?.value).toBe(1)
    await agent.close()
    await customer.close()
  })

  it('hands off on "did not help": the agent gets it, the bot’s words never count as a first response', async () => {
    const agent = await server.connect(await server.agentToken('kb-agent-2', ['general'], 5))
    const { customer, conversationId } = await customerAsking('发票抬头开错了')
    await botSays(customer, conversationId)
    await customer.say(conversationId, '没解决')
    const assigned = await agent.waitFor(
      'conversation.assigned',
      (frame) => frame.conversation.id === conversationId,
    )
    expect(assigned.conversation.firstResponseAt).toBeNull()
    const events = eventsOf(await history(conversationId))
    expect(events.find((event) => event.event === 'bot.handed_off')).toEqual({
      event: 'bot.handed_off',
      reason: 'not_helped',
    })
    expect(events.find((event) => event.event === 'bot.feedback')).toMatchObject({ helped: false })
    await agent.say(conversationId, '我来帮您重开发票')
    const updated = await customer.waitFor(
      'conversation.updated',
      (frame) => frame.conversation.firstResponseAt !== null,
    )
    expect(updated.conversation.agentId).toBe('s_kb-agent-2')
    await agent.close()
    await customer.close()
  })

  it.each([
    ['帮我写首诗', 'low_confidence'],
    ['转人工', 'asked_for_human'],
    ['i want to talk to a real person', 'asked_for_human'],
    ['你们这什么破服务 气死我了 垃圾', 'anger'],
  ])('hands off "%s" at once (%s)', async (question, reason) => {
    const { customer, conversationId } = await customerAsking(question)
    const messages = await until(
      () => history(conversationId),
      (all) => eventsOf(all).some((event) => event.event === 'queued'),
    )
    expect(eventsOf(messages).find((event) => event.event === 'bot.handed_off')).toEqual({
      event: 'bot.handed_off',
      reason,
    })
    expect(eventsOf(messages).some((event) => event.event === 'bot.answered')).toBe(false)
    await customer.close()
  })
})

describe('the knowledge base over REST', () => {
  it('refuses a malformed JSON Lines import naming the line and field, and stores none of it', async () => {
    const before = await server.get<{ records: { entry: { id: string; answer: string } }[] }>(
      '/api/knowledge',
      lead,
    )
    const good = (id: string, answer: string) =>
      JSON.stringify({ id, tier: 'faq', questions: ['一个问题'], answer, tags: [], lang: 'zh' })
    const file = [
      good('import-new', '新的'),
      good('refund-time', '被改坏的答案'),
      '{"id":"x","tier":"faq","questions":[],"answer":"a","lang":"zh"}',
    ].join('\n')
    const refused = await server.post<{
      code: string
      message: string
      problems: { line: number; field: string }[]
    }>('/api/knowledge/import', { format: 'jsonl', text: file }, lead)
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('bad_request')
    expect(refused.body.problems).toEqual([expect.objectContaining({ line: 3, field: 'questions' })])
    expect(refused.body.message).toContain('line 3')
    const after = await server.get<{ records: { entry: { id: string; answer: string } }[] }>(
      '/api/knowledge',
      lead,
    )
    expect(after.body.records).toEqual(before.body.records)
    expect(after.body.records.find((record) => record.entry.id === 'refund-time')?.entry.answer).not.toBe(
      '被改坏的答案',
    )
  })

  it('finds by meaning what words alone rank lower', async () => {
    // By words alone these reach 正品 and 退款到账 first: they share 有没有 and 几天 with them.
    for (const [q, expected] of [
      ['有没有质保', 'warranty'],
      ['几天能发货', 'ship-time'],
    ]) {
      const asked = await server.post<{ hits: { id: string; similarity?: number }[] }>(
        '/api/knowledge/ask',
        { q },
        lead,
      )
      expect(asked.body.hits[0]?.id).toBe(expected)
    }
  })

  it('imports, edits, asks with scores, retires and exports', async () => {
    const imported = await server.post(
      '/api/knowledge/import',
      {
        format: 'markdown',
        text: '## 以旧换新怎么估价\n- trade-in price\nid: tradein-price\n\n估价在下单页实时显示，以回收时检测为准。',
      },
      lead,
    )
    expect(imported).toEqual({ status: 200, body: { imported: 1 } })
    const asked = await server.post<{
      hits: { id: string; confidence: number; score: number; similarity?: number }[]
    }>('/api/knowledge/ask', { q: '以旧换新怎么估价' }, lead)
    expect(asked.body.hits[0]).toMatchObject({ id: 'tradein-price' })
    expect(asked.body.hits[0]?.score).toBeGreaterThan(0)
    // Read by the sentence model as it was imported: ranked by meaning from its first question on.
    expect(asked.body.hits[0]?.similarity).toBeGreaterThan(0.9)
    const edit = await fetch(`${server.url}/api/knowledge/tradein-price`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lead}` },
      body: JSON.stringify({
        entry: {
          id: 'tradein-price',
          tier: 'faq',
          questions: ['以旧换新怎么估价'],
          answer: '估价见下单页。',
          tags: [],
          lang: 'zh',
        },
      }),
    })
    expect(edit.status).toBe(200)
    const retired = await server.post('/api/knowledge/tradein-price/status', { status: 'retired' }, lead)
    expect(retired.status).toBe(200)
    const again = await server.post<{ hits: { id: string }[] }>(
      '/api/knowledge/ask',
      { q: '以旧换新怎么估价' },
      lead,
    )
    expect(again.body.hits.map((hit) => hit.id)).not.toContain('tradein-price')
    const exported = await fetch(`${server.url}/api/knowledge/export`, {
      headers: { authorization: `Bearer ${lead}` },
    })
    const lines = (await exported.text()).trim().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(100)
    expect(lines.some((line) => line.includes('tradein-price'))).toBe(false)
    const review = await server.get<{ active: number; proposedRetirement: string[] }>(
      '/api/knowledge/review',
      lead,
    )
    expect(review.body.active).toBeGreaterThanOrEqual(100)
    const agent = await server.agentToken('kb-agent-3', ['general'], 1)
    expect(
      (await server.post('/api/knowledge/import', { format: 'markdown', text: '## q\n\na' }, agent)).status,
    ).toBe(403)
  })
})

describe('without a working sentence model', () => {
  it('starts and answers by words alone when the model will not open', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'kefu-broken-model-'))
    writeFileSync(join(broken, 'model.onnx'), 'not a model')
    writeFileSync(join(broken, 'tokenizer.json'), '{}')
    const wordsOnly = await TestServer.start({ SENTENCE_MODEL_DIR: broken })
    try {
      const supervisor = await wordsOnly.agentToken('kb-lead-2', ['general'], 0, 'supervisor')
      const asked = await wordsOnly.post<{ hits: { id: string; similarity?: number }[] }>(
        '/api/knowledge/ask',
        { q: '退款多久到账' },
        supervisor,
      )
      expect(asked.body.hits[0]?.id).toBe('refund-time')
      expect(asked.body.hits[0]?.similarity).toBeUndefined()
    } finally {
      await wordsOnly.stop()
      rmSync(broken, { recursive: true, force: true })
    }
  })
})
