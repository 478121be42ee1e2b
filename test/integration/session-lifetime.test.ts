import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { asUserId, CloseCode } from '@kefu/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TestClient } from '../helpers/TestClient'
import { TestServer, testEnv } from '../helpers/testServer'

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal/src/cli.ts')
const REVIEW_MS = 200

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start({ SESSION_REVIEW_MS: String(REVIEW_MS) })
})
afterEach(async () => server.stop())

const wsUrl = (token: string) => `${server.url.replace('http', 'ws')}/ws?token=${token}`

// The staff CLI is another process on the same data folder, as an operator would run it.
const kefu = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...testEnv(server.dataDir) },
    encoding: 'utf8',
    timeout: 30_000,
  })

describe('a socket does not outlive what its token said', () => {
  it('narrows a supervisor who left a team: the socket closes, and the same token now sees one team', async () => {
    const token = await server.agentToken('sue', ['premium', 'general'], 1, 'supervisor')
    const supervisor = await server.connect(token)
    const premiumCustomer = await server.connect(await server.customerToken({ userId: 'vip', vipLevel: 4 }))
    const premium = await premiumCustomer.openConversation()
    expect(premium.teamId).toBe('premium')
    expect((await server.get(`/api/conversations/${premium.id}`, token)).status).toBe(200)

    expect(kefu('agent', 'teams', 'sue', '--teams', 'general').stdout).toContain('now in teams: general')
    expect(await supervisor.closed).toBe(CloseCode.SessionChanged)

    const again = await TestClient.open(wsUrl(token))
    const welcome = await again.hello('device-2')
    expect(welcome.teams).toEqual(['general'])
    expect(welcome.conversations.map((c) => c.id)).not.toContain(premium.id)
    const detail = await server.get(`/api/conversations/${premium.id}`, token)
    expect(detail).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    await Promise.all([again.close(), premiumCustomer.close()])
  })

  it('ends a deactivated agent’s sessions: live sockets, new sockets, REST and logins', async () => {
    const token = await server.agentToken('dan', ['general'], 2)
    const agent = await server.connect(token)
    expect(kefu('agent', 'deactivate', 'dan').stdout).toContain('dan deactivated')
    expect(await agent.closed).toBe(CloseCode.SessionEnded)

    const again = await TestClient.open(wsUrl(token))
    expect(await again.closed).toBe(CloseCode.SessionEnded)
    expect(again.frames).toEqual([])
    expect(await server.get('/api/teams', token)).toMatchObject({
      status: 401,
      body: { code: 'token_invalid' },
    })
    const login = await server.post('/api/agent/login', { login: 'dan', password: 'pw' })
    expect(login).toMatchObject({ status: 401, body: { code: 'unauthenticated' } })
    // Nothing routes to an agent who is gone.
    const customer = await server.connect(await server.guestToken())
    const conversation = await customer.openConversation()
    expect((await server.server.repo.getConversation(conversation.id))?.agentId).toBeNull()
    await customer.close()
  })

  it('closes a socket when its token expires, with the code that says to sign in again', async () => {
    const token = await server.server.tokens.issue(
      { userId: asUserId('g_short'), role: 'customer', displayName: 'Short', teams: [], isGuest: true },
      1,
    )
    const customer = await server.connect(token)
    const openedAt = Date.now()
    expect(await customer.closed).toBe(CloseCode.SessionEnded)
    expect(Date.now() - openedAt).toBeLessThan(1000 + 4 * REVIEW_MS + 1000)
  })
})

describe('the channel comes from the verified session', () => {
  it('refuses a web customer who claims to be on WeChat, and stores nothing', async () => {
    const customer = await server.connect(await server.guestToken())
    customer.send({ t: 'conversation.open', channel: 'wechat' })
    expect(await customer.waitFor('error', (f) => f.ref === 'conversation.open')).toMatchObject({
      code: 'forbidden',
    })
    expect(await server.server.repo.listConversations({ limit: 10 })).toEqual([])
    await customer.close()
  })

  it('records a signed WeChat profile’s conversation as WeChat without the client saying so', async () => {
    const customer = await server.connect(
      await server.customerToken({ userId: 'wx-mini', platform: 'wechat' }),
    )
    expect(await customer.openConversation()).toMatchObject({ channel: 'wechat', delivery: 'kefu' })
    await customer.close()
  })

  it('keeps the channel a guest session was asked for', async () => {
    const { body } = await server.post<{ token: string }>('/api/customer/session', { channel: 'alipay' })
    const customer = await server.connect(body.token)
    expect(await customer.openConversation()).toMatchObject({ channel: 'alipay' })
    await customer.close()
  })
})
