import type { Server } from 'node:http'
import { startSignedReceiver } from './signedReceiver'

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
  const receiver = await startSignedReceiver(secret, '/kefu', ({ body, signed }) => {
    const call = JSON.parse(body) as Omit<IntegratorCall, 'signed'>
    calls.push({ ...call, signed })
    const answer = signed ? answers[call.action]?.(call.slots) : 401
    if (typeof answer === 'number') return { status: answer, json: {} }
    return answer ? { status: 200, json: answer } : { status: 404, json: {} }
  })
  return { ...receiver, calls }
}
