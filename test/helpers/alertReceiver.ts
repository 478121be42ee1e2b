import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Alert } from '@kefu/shared'
import { signWebhook } from '../../packages/signal/src/auth/webhookSignature'

/** One post the alert webhook received: its alert id header, whether its signature held, the alert. */
export interface ReceivedAlert {
  id: string
  valid: boolean
  alert: Alert
}

/**
 * A local receiver for the alert webhook on a loopback port, checking each post's signature with
 * `secret`. `answer` gives the HTTP status for the nth post (1-based), to see retries.
 */
export async function startAlertReceiver(
  secret: string,
  answer: (nth: number) => number = () => 204,
): Promise<{ url: string; received: ReceivedAlert[]; server: Server }> {
  const received: ReceivedAlert[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const timestamp = String(request.headers['x-kefu-timestamp'])
      received.push({
        id: String(request.headers['x-kefu-alert-id']),
        valid: request.headers['x-kefu-signature'] === signWebhook(secret, timestamp, body),
        alert: (JSON.parse(body) as { alert: Alert }).alert,
      })
      response.statusCode = answer(received.length)
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received, server }
}
