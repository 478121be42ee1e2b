import { request as httpRequest } from 'node:http'
import { CloseCode } from '@kefu/shared'
import { signProfile } from '@kefu/signal'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLIENT_DIST } from '../helpers/browser'
import { TestClient } from '../helpers/TestClient'
import { TEST_APP_SECRET, TestServer } from '../helpers/testServer'

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start({ MAX_FRAME_BYTES: '2048' })
})
afterEach(async () => server.stop())

const wsUrl = (token: string) => `${server.url.replace('http', 'ws')}/ws?token=${token}`

describe('identity', () => {
  it('refuses a profile whose VIP level was forged after signing', async () => {
    const honest = JSON.stringify({
      userId: 'mallory',
      name: 'M',
      vipLevel: 0,
      iat: Math.floor(Date.now() / 1000),
    })
    const signature = signProfile(honest, TEST_APP_SECRET)
    const forged = honest.replace('"vipLevel":0', '"vipLevel":9')
    const { status, body } = await server.post('/api/customer/session', { profile: forged, signature })
    expect(status).toBe(401)
    expect(body).toMatchObject({ code: 'signature_invalid' })
  })

  it('refuses an over-long signature as a bad signature, not by handing out a guest session', async () => {
    const profile = JSON.stringify({
      userId: 'long-sig',
      name: 'L',
      vipLevel: 0,
      iat: Math.floor(Date.now() / 1000),
    })
    const { status, body } = await server.post('/api/customer/session', {
      profile,
      signature: 'a'.repeat(129),
    })
    expect(status).toBe(401)
    expect(body).toMatchObject({ code: 'signature_invalid' })
    expect((await server.post('/api/customer/session', { signature: 'x' })).status).toBe(400)
  })

  it('gives guests no VIP level, so they route to general', async () => {
    const guest = await server.connect(await server.guestToken())
    expect(await guest.openConversation()).toMatchObject({ teamId: 'general', priority: 0 })
    await guest.close()
  })

  it('refuses sockets without a token, with a forged token, or from a foreign origin', async () => {
    await expect(TestClient.open(`${server.url.replace('http', 'ws')}/ws`)).rejects.toThrow('401')
    const token = await server.guestToken()
    const [header, payload] = token.split('.')
    // Browsers cannot read a refused upgrade; a close code they can read says "sign in again".
    const forged = await TestClient.open(wsUrl(`${header}.${payload}.forgedsignature`))
    expect(await forged.closed).toBe(CloseCode.SessionEnded)
    expect(forged.frames).toEqual([])
    await expect(
      TestClient.open(wsUrl(token), { headers: { origin: 'https://evil.example' } }),
    ).rejects.toThrow('403')
    const sameOrigin = await TestClient.open(wsUrl(token), { headers: { origin: server.url } })
    await sameOrigin.close()
  })

  it('refuses a wrong agent password', async () => {
    await server.agentToken('pw-agent', ['general'], 1)
    const { status, body } = await server.post('/api/agent/login', { login: 'pw-agent', password: 'nope' })
    expect(status).toBe(401)
    expect(body).toMatchObject({ code: 'unauthenticated' })
  })
})

/** A login attempt from a given loopback address (the server sees it as the caller's IP). */
function loginFrom(
  address: string,
  login: string,
  password: string,
): Promise<{ status: number; code: string | undefined }> {
  const body = JSON.stringify({ login, password })
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${server.url}/api/agent/login`,
      { method: 'POST', localAddress: address, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = ''
        response.on('data', (chunk) => {
          text += chunk
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { code?: string }).code }),
        )
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

describe('login throttling', () => {
  it('pauses guessing at an account from elsewhere, but not its owner at their usual address', async () => {
    await server.agentToken('guarded', ['general'], 1)
    expect((await loginFrom('127.0.0.1', 'guarded', 'pw')).status).toBe(200)
    for (let attempt = 0; attempt < 5; attempt++)
      expect(await loginFrom('127.0.0.2', 'guarded', `guess-${attempt}`)).toMatchObject({ status: 401 })
    // Even the right password waits now, from the guesser's address…
    expect(await loginFrom('127.0.0.2', 'guarded', 'pw')).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(await loginFrom('127.0.0.3', 'guarded', 'pw')).toMatchObject({ status: 429 })
    // …but the agent signs in where they signed in before.
    expect((await loginFrom('127.0.0.1', 'guarded', 'pw')).status).toBe(200)
  })

  it('answers guesses at a login that does not exist exactly as at one that does', async () => {
    for (let attempt = 0; attempt < 5; attempt++)
      expect(await loginFrom('127.0.0.4', 'nobody-here', `guess-${attempt}`)).toMatchObject({
        status: 401,
        code: 'unauthenticated',
      })
    expect(await loginFrom('127.0.0.4', 'nobody-here', 'guess')).toMatchObject({
      status: 429,
      code: 'rate_limited',
    })
  })
})

describe('authorization', () => {
  it('never lets customer A see or write into customer B’s conversation', async () => {
    const tokenA = await server.customerToken({ userId: 'alice-customer' })
    const tokenB = await server.customerToken({ userId: 'bob-customer' })
    const b = await server.connect(tokenB)
    const conversationB = await b.openConversation()
    await b.say(conversationB.id, 'my private address')
    const a = await server.connect(tokenA)

    a.send({ t: 'sync.request', conversationId: conversationB.id, afterSeq: 0 })
    expect(await a.waitFor('error', (frame) => frame.ref === 'sync.request')).toMatchObject({
      code: 'forbidden',
    })
    a.send({ t: 'message.send', conversationId: conversationB.id, cid: 'intrude', body: 'hi' })
    expect(await a.waitFor('error', (frame) => frame.ref === 'intrude')).toMatchObject({ code: 'forbidden' })
    a.send({ t: 'conversation.resolve', conversationId: conversationB.id })
    expect(await a.waitFor('error', (frame) => frame.ref === 'conversation.resolve')).toMatchObject({
      code: 'forbidden',
    })

    expect((await server.get(`/api/conversations/${conversationB.id}`, tokenA)).status).toBe(403)
    expect((await server.get(`/api/conversations/${conversationB.id}/messages`, tokenA)).status).toBe(403)
    const listed = await server.get<{ conversations: unknown[] }>('/api/conversations', tokenA)
    expect(listed.body.conversations).toEqual([])
    expect(a.bodies(conversationB.id)).toEqual([])
    await Promise.all([a.close(), b.close()])
  })

  it('shows an agent only the teams they belong to', async () => {
    const vip = await server.connect(await server.customerToken({ userId: 'vip-secret', vipLevel: 5 }))
    const premium = await vip.openConversation()
    const generalToken = await server.agentToken('general-only', ['general'], 2)
    expect((await server.get(`/api/conversations/${premium.id}/messages`, generalToken)).status).toBe(403)
    expect((await server.get('/api/conversations?team=premium', generalToken)).status).toBe(403)
    const agent = await server.connect(generalToken)
    agent.send({ t: 'sync.request', conversationId: premium.id, afterSeq: 0 })
    expect(await agent.waitFor('error')).toMatchObject({ code: 'forbidden' })
    await Promise.all([vip.close(), agent.close()])
  })

  it('answers unknown conversations with not_found', async () => {
    const customer = await server.connect(await server.guestToken())
    customer.send({ t: 'typing', conversationId: 'c_does_not_exist', isTyping: true })
    expect(await customer.waitFor('error')).toMatchObject({ code: 'not_found' })
    await customer.close()
  })
})

describe('metrics', () => {
  it('keeps /metrics for the holder of the scrape token when one is set', async () => {
    await server.stop()
    const token = 'scrape-token-0123456789'
    server = await TestServer.start({ METRICS_TOKEN: token })
    const scrape = (authorization?: string) =>
      fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} })

    const anonymous = await scrape()
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ code: 'unauthenticated' })
    expect((await scrape('Bearer not-the-token')).status).toBe(401)
    const scraper = await scrape(`Bearer ${token}`)
    expect(scraper.status).toBe(200)
    expect(await scraper.text()).toContain('kefu_messages_total')
  })
})

describe('limits', () => {
  it('refuses an oversized frame with frame_too_large and keeps the socket', async () => {
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    customer.send({ t: 'message.send', conversationId: conversation.id, cid: 'big', body: 'x'.repeat(3000) })
    expect(await customer.waitFor('error')).toMatchObject({ code: 'frame_too_large' })
    await customer.say(conversation.id, 'still connected')
    await customer.close()
  })

  it('refuses binary frames and a wrong protocol version', async () => {
    const customer = await server.connect(await server.guestToken())
    customer.sendRaw(Buffer.from([1, 2, 3]))
    expect(await customer.waitFor('error')).toMatchObject({ code: 'unsupported_frame' })
    const stranger = await TestClient.open(wsUrl(await server.guestToken()))
    stranger.send({ t: 'hello', v: 999, deviceId: 'd' })
    expect(await stranger.waitFor('error')).toMatchObject({ code: 'protocol_mismatch' })
    await stranger.closed
    expect(stranger.socket.readyState).toBe(stranger.socket.CLOSED)
    await customer.close()
  })

  it('rate-limits a flooding connection', async () => {
    await server.stop()
    server = await TestServer.start({ RATE_LIMIT_PER_S: '5', RATE_LIMIT_BURST: '10' })
    const customer = await server.connect(await server.guestToken())
    for (let i = 0; i < 30; i++) customer.send({ t: 'ping' })
    expect(await customer.waitFor('error')).toMatchObject({ code: 'rate_limited' })
    await customer.close()
  })
})

describe('HTTP security headers', () => {
  it('deny framing everywhere but the chat frame, which only the configured embedders may frame', async () => {
    const shop = 'https://shop.example'
    const embedded = await TestServer.start({ EMBED_ORIGINS: shop, CLIENT_DIST })
    try {
      const headersOf = async (path: string) => (await fetch(`${embedded.url}${path}`)).headers
      for (const path of ['/agent', '/api/teams', '/uploads/none.png', '/metrics']) {
        const headers = await headersOf(path)
        const csp = headers.get('content-security-policy') ?? ''
        expect(csp, path).toContain("frame-ancestors 'none'")
        expect(csp, path).toContain("script-src 'self'")
        expect(csp, path).not.toContain('unsafe-inline')
        expect(headers.get('x-frame-options'), path).toBe('DENY')
        expect(headers.get('x-content-type-options'), path).toBe('nosniff')
        expect(headers.get('referrer-policy'), path).toBe('no-referrer')
      }
      const chat = await headersOf('/chat?embed=1')
      expect(chat.get('content-security-policy')).toContain(`frame-ancestors 'self' ${shop}`)
      expect(chat.get('x-frame-options')).toBeNull()
      // The widget's script is loaded by the shop's pages.
      expect((await headersOf('/widget.js')).get('cross-origin-resource-policy')).toBe('cross-origin')
      expect((await headersOf('/api/teams')).get('cross-origin-resource-policy')).toBe('same-origin')
    } finally {
      await embedded.stop()
    }
  })
})
