import type { WebhookOutcome } from '@kefu/shared'
import type { Integrator, IntegratorRequest } from '../integrator/Integrator'

const DAY_MS = 24 * 60 * 60 * 1000

/** The demo shop's orders, decided by an order id's last digit so a person trying the demo can pick a case. */
function orderCase(orderId: string | undefined): number {
  return Number(orderId?.at(-1) ?? Number.NaN)
}

const ANSWERS: Record<string, (slots: Readonly<Record<string, string>>, now: number) => WebhookOutcome> = {
  // …9 is no order, …8 unpaid, …7 still in the warehouse, anything else shipped.
  order_status: (slots, now) => {
    const last = orderCase(slots.order_id)
    if (Number.isNaN(last) || last === 9) return { ok: true, data: { status: 'not_found' } }
    const eta = new Date(now + 2 * DAY_MS).toISOString().slice(5, 10)
    if (last === 8) return { ok: true, data: { status: 'unpaid' } }
    if (last === 7) return { ok: true, data: { status: 'processing', eta } }
    return {
      ok: true,
      data: { status: 'shipped', carrier: '顺丰速运', tracking: `SF${slots.order_id?.slice(-10)}`, eta },
    }
  },
  // …9 is past the seven-day return window.
  refund_eligibility: (slots) =>
    orderCase(slots.order_id) === 9
      ? { ok: true, data: { eligible: false, reason: '已超过 7 天无理由退货期' } }
      : { ok: true, data: { eligible: true, amount: '199.00' } },
  refund_create: (slots) => ({ ok: true, data: { refund_id: `RF${slots.order_id}` } }),
  // …0 to …4 have left the warehouse: the address can no longer change.
  delivery_change: (slots) =>
    orderCase(slots.order_id) <= 4
      ? { ok: true, data: { changed: false, reason: '包裹已经发出' } }
      : { ok: true, data: { changed: true } },
  invoice_issue: () => ({ ok: true, data: { eta: '24 小时' } }),
  account_change_phone: () => ({ ok: true, data: { sent: true } }),
  account_unlock: () => ({ ok: true, data: { unlocked: true } }),
}

/**
 * The demo's stand-in for a shop's systems, in process, so `pnpm start` runs every shipped flow
 * without an integrator. A real deployment sets INTEGRATOR_WEBHOOK_URL instead.
 */
export function demoIntegrator(now: () => number): Integrator {
  return {
    call: async ({ action, slots }: IntegratorRequest) => ANSWERS[action]?.(slots, now()) ?? { ok: false },
  }
}
