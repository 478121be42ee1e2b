import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { signWebhook } from '../../packages/signal/src/auth/webhookSignature'

/** One call a flow made: the action, the slots it sent, whether the signature held. */
export interface IntegratorCall {
  action: string
  flowId: string
  conversationId: string
  slots: Record<string, string>
  signed: boolean
}

/** How the shop answers an action: `{ok, data}`, or an HTTP status for a failing shop. */
export type IntegratorAnswer = { ok: boolean; data?: Record<string, string | number | boolean> } | number

/**
 * A shop's integration endpoint on a loopback port: checks each call's signature with `secret`,
 * records it, and answers from `answers` (an unsigned or unknown call gets 401 / 404).
 */
export async function startIntegrator(
  secret: string,
  answers: Record<string, (slots: Record<string, string>) => IntegratorAnswer>,
): Promise<{ url: string; calls: IntegratorCall[]; server: Server }> {
  const calls: IntegratorCall[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const timestamp = String(request.headers['x-kefu-timestamp'])
      const signed = request.headers['x-kefu-signature'] === signWebhook(secret, timestamp, body)
      const call = JSON.parse(body) as Omit<IntegratorCall, 'signed'>
      calls.push({ ...call, signed })
      const answer = signed ? answers[call.action]?.(call.slots) : 401
      const status = typeof answer === 'number' ? answer : answer ? 200 : 404
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(typeof answer === 'object' ? JSON.stringify(answer) : '{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kefu`, calls, server }
}
