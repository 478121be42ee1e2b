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
    const planned = new Set<() => void>()
    const session = new ChatSession({
      openTransport: () =>
        olderClientTransport(`${server.url.replace('http', 'ws')}/ws?token=${token}`, opened),
      // Timers are kept, not run: what the session plans after it stopped is there to inspect.
      clock: {
        now: () => Date.now(),
        setTimeout: (callback) => {
          planned.add(callback)
          return () => planned.delete(callback)
        },
      },
      ids: { newId: () => Math.random().toString(36).slice(2) },
      deviceId: 'old-phone',
    })
    await session.start()
    await expect.poll(() => session.status, { timeout: 5000 }).toBe('outdated')
    // Whatever it still planned (a heartbeat, a reconnect) runs now, as if time had passed: no
    // second socket is opened.
    for (const callback of [...planned]) callback()
    expect(opened).toHaveLength(1)
    session.stop()
  })
})
