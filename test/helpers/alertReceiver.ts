import type { Server } from 'node:http'
import type { Alert } from '@kefu/shared'
import { startSignedReceiver } from './signedReceiver'

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
  const receiver = await startSignedReceiver(secret, '/alerts', ({ body, signed, headers }) => {
    received.push({
      id: String(headers['x-kefu-alert-id']),
      valid: signed,
      alert: (JSON.parse(body) as { alert: Alert }).alert,
    })
    return { status: answer(received.length) }
  })
  return { ...receiver, received }
}
