import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TINY_PNG } from '../helpers/media'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start({ UPLOAD_MAX_BYTES: '2048' })
})
afterEach(async () => server.stop())

const upload = (body: Buffer, token: string, type = 'image/png') =>
  fetch(`${server.url}/api/uploads`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body,
  })

describe('chat media uploads', () => {
  it('stores an image, serves it back, and carries it in a message', async () => {
    const token = await server.guestToken()
    const response = await upload(TINY_PNG, token)
    const stored = (await response.json()) as { url: string; mime: string; bytes: number }
    expect(stored).toMatchObject({ mime: 'image/png', bytes: TINY_PNG.length })
    const fetched = await fetch(stored.url)
    expect(fetched.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await fetched.arrayBuffer()).equals(TINY_PNG)).toBe(true)

    const agent = await server.connect(await server.agentToken('media-agent', ['general'], 1))
    const customer = await server.connect(token)
    const conversation = await customer.openConversation()
    await customer.waitFor('conversation.assigned')
    customer.send({
      t: 'message.send',
      conversationId: conversation.id,
      cid: 'img-1',
      kind: 'image',
      body: '',
      attachment: { url: stored.url, mime: stored.mime, bytes: stored.bytes },
    })
    const received = await agent.waitFor('message.new', (frame) => frame.message.cid === 'img-1')
    expect(received.message).toMatchObject({
      kind: 'image',
      attachment: { url: stored.url, mime: 'image/png' },
    })
    await Promise.all([agent.close(), customer.close()])
  })

  it('judges a file by its bytes, not by the type the client claims', async () => {
    const token = await server.guestToken()
    const disguised = await upload(Buffer.from('<script>alert(1)</script>'), token, 'image/png')
    expect(disguised.status).toBe(400)
    expect(await disguised.json()).toMatchObject({ code: 'bad_request' })
  })

  it('refuses strangers, oversized files and unknown names', async () => {
    expect((await upload(TINY_PNG, 'not-a-token')).status).toBe(401)
    const token = await server.guestToken()
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(4096)])
    expect((await upload(big, token)).status).toBe(413)
    expect((await fetch(`${server.url}/uploads/../../kefu.db`)).status).toBe(404)
    expect((await fetch(`${server.url}/uploads/${'0'.repeat(32)}.png`)).status).toBe(404)
  })
})
