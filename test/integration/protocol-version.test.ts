import { ChatSession, type Transport } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { socketTaskTransport } from '../../packages/client/src/platform/mini/socketTask'
import { FakeWx } from '../helpers/fakeWx'
import { TestServer } from '../helpers/testServer'

let server: TestServer
beforeAll(async () => {
  server = await TestServer.start()
})
afterAll(async () => server.stop())

/** A client built for an older protocol: the real chat core and socket, saying hello as version 1. */
function olderClientTransport(url: string, opened: Transport[]): Transport {
  const wx: Record<string, unknown> = {}
  new FakeWx().install(wx)
  const connect = wx.connectSocket as (options: { url: string }) => Parameters<typeof socketTaskTransport>[0]
  const transport = socketTaskTransport(connect({ url }))
  opened.push(transport)
  return { ...transport, send: (data) => transport.send(data.replace(/"v":\d+/, '"v":1')) }
}

describe('a client speaking another protocol version', () => {
  it('is closed by the real server with 4002, stops reconnecting and says it must be updated', async () => {
    const token = await server.guestToken()
    const opened: Transport[] = []
    const session = new ChatSession({
      openTransport: () =>
        olderClientTransport(`${server.url.replace('http', 'ws')}/ws?token=${token}`, opened),
      clock: {
        now: () => Date.now(),
        setTimeout: (callback, ms) => {
          const timer = setTimeout(callback, ms)
          return () => clearTimeout(timer)
        },
      },
      ids: { newId: () => Math.random().toString(36).slice(2) },
      deviceId: 'old-phone',
    })
    await session.start()
    await expect.poll(() => session.status, { timeout: 5000 }).toBe('outdated')
    // Well past the first backoff (0.5 s): no second socket was opened.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(opened).toHaveLength(1)
    session.stop()
  })
})
