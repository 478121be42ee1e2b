import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { signWebhook } from '../../packages/signal/src/auth/webhookSignature'

/** One post as a receiver of kefu's signed webhooks sees it: the raw body, whether it was signed. */
export interface SignedPost {
  body: string
  signed: boolean
  headers: IncomingHttpHeaders
}

/**
 * A loopback HTTP endpoint for kefu's signed webhooks (alerts, integrator calls): each post's
 * signature checked with `secret`, then answered as `answer` says, with a status and a JSON body.
 */
export async function startSignedReceiver(
  secret: string,
  path: string,
  answer: (post: SignedPost) => { status: number; json?: unknown },
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const timestamp = String(request.headers['x-kefu-timestamp'])
      const signed = request.headers['x-kefu-signature'] === signWebhook(secret, timestamp, body)
      const { status, json } = answer({ body, signed, headers: request.headers })
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(json === undefined ? '' : JSON.stringify(json))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, server }
}
