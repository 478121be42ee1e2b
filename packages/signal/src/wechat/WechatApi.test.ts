import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../clock'
import { KeyedLock } from '../local/KeyedLock'
import { createLogger } from '../logger'
import { storesClosedAfterEach } from '../testing/inProcessCore'
import { WechatApi } from './WechatApi'

/**
 * WeChat's token and send endpoints as they behave: each token fetched retires the one before,
 * and a send with a retired token is refused with 40001.
 */
class TokenIssuer {
  fetches = 0
  readonly sentWith: string[] = []
  private server: Server | undefined

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost')
      response.setHeader('content-type', 'application/json')
      if (url.pathname === '/cgi-bin/token') {
        this.fetches++
        return void response.end(JSON.stringify({ access_token: `token-${this.fetches}`, expires_in: 7200 }))
      }
      request.resume().on('end', () => {
        const token = url.searchParams.get('access_token') ?? ''
        this.sentWith.push(token)
        const current = token === `token-${this.fetches}`
        response.end(
          JSON.stringify(current ? { errcode: 0 } : { errcode: 40001, errmsg: 'invalid credential' }),
        )
      })
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  stop(): void {
    this.server?.close()
  }
}

const issuers: TokenIssuer[] = []
afterEach(() => {
  for (const issuer of issuers.splice(0)) issuer.stop()
})
const store = storesClosedAfterEach()

// Two nodes' WeChat clients on one store and one lock service, as behind a load balancer.
async function twoNodes() {
  const issuer = new TokenIssuer()
  issuers.push(issuer)
  const apiBase = await issuer.start()
  const repo = await store()
  const locks = new KeyedLock()
  const node = () =>
    new WechatApi({
      apiBase,
      appId: 'wx0123456789abcdef',
      appSecret: 'secret',
      repo,
      locks,
      clock: systemClock,
      logger: createLogger('silent'),
    })
  return { issuer, repo, here: node(), there: node() }
}

describe('WechatApi across nodes', () => {
  it('fetches one token for sends at two nodes at once, and both send with it', async () => {
    const { issuer, here, there } = await twoNodes()
    await Promise.all([here.sendText('o1', 'a'), there.sendText('o2', 'b'), here.sendText('o3', 'c')])
    expect(issuer.fetches).toBe(1)
    expect(issuer.sentWith).toEqual(['token-1', 'token-1', 'token-1'])
  })

  it('refreshes once when WeChat retires a token, and the other node then sends with the new one', async () => {
    const { issuer, repo, here, there } = await twoNodes()
    await Promise.all([here.sendText('o1', 'a'), there.sendText('o2', 'b')])
    // Something else fetched a token with the same app secret: WeChat retired token-1.
    issuer.fetches++
    await here.sendText('o1', 'again')
    await there.sendText('o2', 'again')
    expect(issuer.fetches).toBe(3)
    expect(await repo.readUpstreamToken('wechat')).toMatchObject({ value: 'token-3' })
    // The stale token is refused once per node; the node that came second reads the new token.
    expect(issuer.sentWith.slice(2)).toEqual(['token-1', 'token-3', 'token-1', 'token-3'])
  })
})
