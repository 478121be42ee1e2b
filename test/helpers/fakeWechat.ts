import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** WeChat's server API as far as kefu3d uses it, on loopback: tokens and customer-service sends. */
export class FakeWechatApi {
  readonly sent: { touser: string; text: { content: string } }[] = []
  tokenRequests = 0
  busyAnswersLeft = 1
  private server!: Server

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost')
      response.setHeader('content-type', 'application/json')
      if (url.pathname === '/cgi-bin/token') {
        this.tokenRequests++
        return void response.end(
          JSON.stringify({ access_token: `token-${this.tokenRequests}`, expires_in: 7200 }),
        )
      }
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        if (this.busyAnswersLeft-- > 0)
          return void response.end(JSON.stringify({ errcode: -1, errmsg: 'system busy' }))
        this.sent.push(JSON.parse(body))
        response.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }))
      })
    })
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  stop(): void {
    this.server.close()
  }
}

/** WeChat's signature over sorted parts, as a test computes it independently. */
export const sha1 = (...parts: string[]) =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')

let nonces = 0
/** A fresh (timestamp, nonce) pair, as WeChat signs each push with: the server takes each once. */
export const signedMoment = (timestamp = String(Math.floor(Date.now() / 1000))) => ({
  timestamp,
  nonce: `n${++nonces}`,
})
