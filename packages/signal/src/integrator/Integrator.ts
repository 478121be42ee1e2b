import type { Logger, WebhookOutcome } from '@kefu/shared'
import { z } from 'zod'
import { signWebhook } from '../auth/webhookSignature'

/** What a flow's `call` step asks the integrator: the action, whose conversation, the slots so far. */
export interface IntegratorRequest {
  action: string
  flowId: string
  conversationId: string
  customerId: string
  slots: Readonly<Record<string, string>>
}

/** The shop's own systems as flows see them: order status, refunds, invoices, accounts. */
export interface Integrator {
  call(request: IntegratorRequest): Promise<WebhookOutcome>
}

/** The integrator's answer: `ok`, and flat data whose keys become the flow's `result_<key>` slots. */
const IntegratorReplySchema = z.object({
  ok: z.boolean(),
  data: z.record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
})

/** A customer waits on the answer: a slow integrator is treated as a failed one. */
const CALL_TIMEOUT_MS = 3000

/**
 * The integrator's webhook over HTTPS: a POST of `{action, flowId, conversationId, customerId,
 * slots}` signed like every kefu webhook (`x-kefu-timestamp`, `x-kefu-signature`), answered with
 * `{ok, data}`. Any failure (timeout, non-2xx, a malformed answer) is `{ok: false}`: the flow takes
 * its `failed` step, usually to a person.
 */
export class WebhookIntegrator implements Integrator {
  constructor(
    private readonly webhook: { url: string; secret: string },
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  async call(request: IntegratorRequest): Promise<WebhookOutcome> {
    const body = JSON.stringify(request)
    const timestamp = String(this.now())
    try {
      const response = await fetch(this.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-kefu-timestamp': timestamp,
          'x-kefu-signature': signWebhook(this.webhook.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      })
      if (!response.ok) throw new Error(`answered ${response.status}`)
      const reply = IntegratorReplySchema.parse(await response.json())
      return reply.ok ? { ok: true, data: reply.data } : { ok: false }
    } catch (error) {
      this.logger.warn(
        { err: error, action: request.action, flowId: request.flowId },
        'the integrator webhook failed',
      )
      return { ok: false }
    }
  }
}

/** Without an integrator every call fails, and flows take their `failed` step to a person. */
export const NO_INTEGRATOR: Integrator = { call: async () => ({ ok: false }) }
