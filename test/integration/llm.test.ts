import { parseConversationEvent } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm } from '../helpers/fakeLlm'
import { TestServer } from '../helpers/testServer'

// With LLM_BASE_URL the assistant's answer is written by the model from the top entries, citing
// them; the hand-off rules stay the knowledge base's. The model is a loopback stand-in.
const ANSWERS: Record<string, string | number> = {
  退款几天能到账啊: '审核通过后原路退回，微信和支付宝一般 1-3 个工作日到账 [1]。',
  退款到哪里了: 'NO_ANSWER',
  退款多久能到: 500,
  退款什么时候到账: '很快就到了，放心！',
}
let llm: Awaited<ReturnType<typeof startFakeLlm>>
let server: TestServer
beforeAll(async () => {
  llm = await startFakeLlm((question) => ANSWERS[question] ?? 'NO_ANSWER')
  server = await TestServer.start({
    BOT_FIRST: '1',
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'qwen-test',
  })
})
afterAll(async () => {
  await server?.stop()
  await llm?.close()
})

let customers = 0
/** Asks the assistant once; returns its reply and the events it recorded. */
async function ask(question: string) {
  const client = await server.connect(await server.customerToken({ userId: `llm-customer-${++customers}` }))
  const { id } = await client.openConversation()
  await client.say(id, question)
  const reply = await client.waitFor(
    'message.new',
    (frame) => frame.message.conversationId === id && frame.message.authorRole === 'bot',
  )
  const events = () =>
    client.frames.flatMap((frame) =>
      frame.t === 'message.new' && frame.message.kind === 'event'
        ? [parseConversationEvent(frame.message.body)]
        : [],
    )
  await client.waitFor(
    'message.new',
    (frame) => frame.message.seq > reply.message.seq && frame.message.kind === 'event',
  )
  await client.close()
  return { text: reply.message.body, events: events() }
}

describe('answers composed by a language model', () => {
  it('are written from the top entries with citations, and the request carries them', async () => {
    const { text, events } = await ask('退款几天能到账啊')
    expect(text).toContain('1-3 个工作日到账 [1]')
    expect(text).toContain('机器人')
    expect(events.find((event) => event?.event === 'bot.answered')).toMatchObject({
      entryId: 'refund-time',
      citations: ['refund-time'],
    })
    const request = llm.requests.find((sent) => sent.messages.at(-1)?.content === '退款几天能到账啊')
    expect(request).toMatchObject({ model: 'qwen-test', authorization: 'Bearer sk-test' })
    expect(request?.messages[0]?.content).toContain('[1]')
    expect(request?.messages[0]?.content).toContain('银行卡 3-7 个工作日')
  })

  it('hand off when the model finds no entry that answers', async () => {
    const { events } = await ask('退款到哪里了')
    // The knowledge base alone would answer it: the model was asked, and said no entry does.
    expect(llm.requests.some((sent) => sent.messages.at(-1)?.content === '退款到哪里了')).toBe(true)
    expect(events).toContainEqual({ event: 'bot.handed_off', reason: 'low_confidence' })
  })

  it('fall back to the entry as written when the model fails or cites nothing', async () => {
    for (const question of ['退款多久能到', '退款什么时候到账']) {
      const { text, events } = await ask(question)
      expect(text).toContain('银行卡 3-7 个工作日')
      expect(events.find((event) => event?.event === 'bot.answered')).not.toHaveProperty('citations')
    }
  })
})
