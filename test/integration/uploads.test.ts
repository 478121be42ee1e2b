import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TINY_AAC, TINY_PNG } from '../helpers/media'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeEach(async () => {
  server = await TestServer.start({ UPLOAD_MAX_BYTES: '2048' })
})
afterEach(async () => server.stop())

const uploadTo = (target: TestServer, body: Buffer, token: string, type = 'image/png') =>
  fetch(`${target.url}/api/uploads`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body,
  })
const upload = (body: Buffer, token: string, type = 'image/png') => uploadTo(server, body, token, type)

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

  it('reads a file as the type it claims to be, and refuses it when it is not one', async () => {
    const token = await server.guestToken()
    const disguised = await upload(Buffer.from('<script>alert(1)</script>'), token, 'image/png')
    expect(disguised.status).toBe(400)
    expect(await disguised.json()).toMatchObject({ code: 'bad_request' })
    // A PNG's first bytes with a script after them start like a PNG and are not one.
    const polyglot = Buffer.concat([TINY_PNG.subarray(0, 33), Buffer.from('<script>alert(1)</script>')])
    expect((await upload(polyglot, token)).status).toBe(400)
    // A real PNG claimed as audio is not audio.
    expect((await upload(TINY_PNG, token, 'audio/mpeg')).status).toBe(400)
    expect((await upload(TINY_AAC, token, 'audio/aac')).status).toBe(200)
  })

  it('serves uploads so that a browser shows them and never runs them', async () => {
    const token = await server.guestToken()
    const { url } = (await (await upload(TINY_PNG, token)).json()) as { url: string }
    const served = await fetch(url)
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('content-security-policy')).toContain('sandbox')
  })

  it('checks the token before reading the body, and counts uploads per person, apart from logins', async () => {
    const limited = await TestServer.start({ UPLOAD_RATE_LIMIT_PER_MIN: '3', AUTH_RATE_LIMIT_PER_MIN: '3' })
    try {
      // A stranger's oversized body is refused for the token, not read to its end and then refused for size.
      const big = Buffer.concat([TINY_PNG, Buffer.alloc(8 * 1024 * 1024)])
      const stranger = await fetch(`${limited.url}/api/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: big,
      })
      expect(stranger.status).toBe(401)

      const token = await limited.guestToken()
      for (let i = 0; i < 3; i++) expect((await uploadTo(limited, TINY_PNG, token)).status).toBe(200)
      const fourth = await uploadTo(limited, TINY_PNG, token)
      expect(fourth.status).toBe(429)
      expect(await fourth.json()).toMatchObject({ code: 'rate_limited' })
      // Another person on the same IP uploads, and staff on it still sign in.
      expect((await uploadTo(limited, TINY_PNG, await limited.guestToken())).status).toBe(200)
      await limited.agentToken('after-uploads', ['general'], 1)
      const login = await limited.post('/api/agent/login', { login: 'after-uploads', password: 'pw' })
      expect(login.status).toBe(200)
    } finally {
      await limited.stop()
    }
  })

  it('refuses strangers, oversized files and unknown names', async () => {
    expect((await upload(TINY_PNG, 'not-a-token')).status).toBe(401)
    const token = await server.guestToken()
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(4096)])
    expect((await upload(big, token)).status).toBe(413)
    expect((await fetch(`${server.url}/uploads/../../kefu.db`)).status).toBe(404)
    expect((await fetch(`${server.url}/uploads/${'0'.repeat(32)}.png`)).status).toBe(404)
  })

  it('serves what one node took from another node on the same store, in byte ranges too', async () => {
    const other = await TestServer.start({}, undefined, { repo: server.server.repo })
    try {
      const token = await server.guestToken()
      const { url } = (await (await upload(TINY_AAC, token, 'audio/aac')).json()) as { url: string }
      const atOther = url.replace(server.url, other.url)
      const whole = await fetch(atOther)
      expect([whole.status, whole.headers.get('content-type')]).toEqual([200, 'audio/aac'])
      expect(Buffer.from(await whole.arrayBuffer()).equals(TINY_AAC)).toBe(true)
      const firstBytes = await fetch(atOther, { headers: { range: 'bytes=0-3' } })
      expect([firstBytes.status, firstBytes.headers.get('content-range')]).toEqual([
        206,
        `bytes 0-3/${TINY_AAC.length}`,
      ])
      expect(Buffer.from(await firstBytes.arrayBuffer()).equals(TINY_AAC.subarray(0, 4))).toBe(true)
      const beyond = await fetch(atOther, { headers: { range: `bytes=${TINY_AAC.length + 10}-` } })
      expect(beyond.status).toBe(416)
    } finally {
      await other.stop()
    }
  })

  it('moves files an older version kept in the data folder into the store, under the same URL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-old-uploads-'))
    const name = `${'5e'.repeat(16)}.png`
    mkdirSync(join(dataDir, 'uploads'))
    writeFileSync(join(dataDir, 'uploads', name), TINY_PNG)
    const upgraded = await TestServer.start({}, dataDir)
    try {
      const served = await fetch(`${upgraded.url}/uploads/${name}`)
      expect(Buffer.from(await served.arrayBuffer()).equals(TINY_PNG)).toBe(true)
      expect((await upgraded.server.repo.readMedia(name))?.mime).toBe('image/png')
    } finally {
      await upgraded.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
