import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeAll(async () => {
  server = await TestServer.start()
})
afterAll(async () => server.stop())

describe('text that could break a conversation', () => {
  it('refuses a lone surrogate and a body of only invisible characters, and the conversation stays readable', async () => {
    const token = await server.customerToken({ userId: 'hygiene' })
    const customer = await server.connect(token)
    const { id } = await customer.openConversation()
    await customer.say(id, 'before')
    customer.send({ t: 'message.send', conversationId: id, cid: 'half', body: 'broken \uD83D text' })
    expect(await customer.waitFor('error', (frame) => frame.ref === 'half')).toMatchObject({
      code: 'bad_frame',
    })
    customer.send({ t: 'message.send', conversationId: id, cid: 'blank', body: '\u200B\u200D\uFEFF\u0007 ' })
    expect(await customer.waitFor('error', (frame) => frame.ref === 'blank')).toMatchObject({
      code: 'bad_frame',
    })
    await customer.say(id, 'after 😀')
    const history = await server.get<{ messages: { kind: string; body: string }[] }>(
      `/api/conversations/${id}/messages`,
      token,
    )
    expect(history.status).toBe(200)
    expect(history.body.messages.filter((m) => m.kind === 'text').map((m) => m.body)).toEqual([
      'before',
      'after 😀',
    ])
    await customer.close()
  })

  it('refuses a guest name with a lone surrogate', async () => {
    const guest = await server.post<{ code: string }>('/api/customer/session', { guestName: 'Ada\uDC00' })
    expect(guest.status).toBe(400)
    expect(guest.body.code).toBe('bad_request')
  })
})
