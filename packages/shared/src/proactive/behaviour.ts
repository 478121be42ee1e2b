import { z } from 'zod'

/** Ten minutes: the article's "viewed the refund policy three times in ten minutes". */
const TEN_MINUTES_MS = 10 * 60 * 1000
/** kefu3d serves China first: "once a day" means once per Beijing calendar day (UTC+8, no DST). */
const SERVICE_DAY_OFFSET_MS = 8 * 60 * 60 * 1000

/**
 * One thing a customer did in the shop, as the integrator's backend posts it (signed): a page
 * viewed, the cart changed, a payment failed. `customerId` is the shop's own user id, the one it
 * signs customer profiles with; `id` is the shop's id of the event, so a retried post counts once.
 */
export const BehaviourEventSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
    customerId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    type: z.enum(['page_view', 'cart_change', 'payment_failed', 'order_placed']),
    at: z.number().int().positive(),
    /** The page viewed (`page_view`): the shop's own name for it, such as `refund-policy`. */
    page: z.string().max(200).optional(),
    orderId: z.string().max(64).optional(),
    /** What the shop knows of why (`payment_failed`): `card_declined`, `timeout`. */
    reason: z.string().max(200).optional(),
  })
  .strict()
export type BehaviourEvent = z.infer<typeof BehaviourEventSchema>

/** What the integrator posts: up to a hundred events at a time. */
export const BehaviourBatchSchema = z
  .object({ events: z.array(BehaviourEventSchema).min(1).max(100) })
  .strict()

/**
 * When to offer help before the customer asks: `count` events of `type` (on `page`, if named)
 * within `withinMs`, at most once per customer per day. `offer` is what the assistant says, in the
 * customer's language; `{orderId}` is filled from the event that fired it.
 */
export const ProactiveRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    when: z
      .object({
        type: BehaviourEventSchema.shape.type,
        page: z.string().max(200).optional(),
        count: z.number().int().min(1).max(50).default(1),
        withinMs: z.number().int().positive().max(86_400_000).default(TEN_MINUTES_MS),
      })
      .strict(),
    offer: z.object({ zh: z.string().min(1).max(500), en: z.string().min(1).max(500) }).strict(),
  })
  .strict()
export type ProactiveRule = z.infer<typeof ProactiveRuleSchema>

/** The article's two examples: a failed payment, and the refund policy read over and over. */
export const DEFAULT_PROACTIVE_RULES: readonly ProactiveRule[] = [
  {
    id: 'payment-failed',
    when: { type: 'payment_failed', count: 1, withinMs: TEN_MINUTES_MS },
    offer: {
      zh: '看到您刚才的付款没有成功，需要帮您看看吗？回复“需要帮助”，我们马上为您处理。',
      en: 'We saw your payment did not go through. Shall we help? Reply "Help me" and we will look into it.',
    },
  },
  {
    id: 'refund-policy-viewed',
    when: { type: 'page_view', page: 'refund-policy', count: 3, withinMs: TEN_MINUTES_MS },
    offer: {
      zh: '您在看退款政策，是想退款吗？我可以帮您查询退款进度或直接申请退款。',
      en: 'You have been reading our refund policy. Would you like a refund? I can check one or start it for you.',
    },
  },
]

/**
 * The rules that hold when `latest` arrives: it is of the rule's kind, and the customer's recent
 * events (`latest` among them) count enough of that kind within the window ending at it. A rule
 * goes on holding while the window stays full; the caller's once-a-day record keeps it from
 * offering twice.
 */
export function rulesFiredBy(
  rules: readonly ProactiveRule[],
  recent: readonly BehaviourEvent[],
  latest: BehaviourEvent,
): ProactiveRule[] {
  return rules.filter((rule) => {
    if (!fits(rule, latest)) return false
    const seen = recent.filter(
      (event) => fits(rule, event) && event.at <= latest.at && latest.at - event.at < rule.when.withinMs,
    )
    return seen.length >= rule.when.count
  })
}

function fits(rule: ProactiveRule, event: BehaviourEvent): boolean {
  return event.type === rule.when.type && (rule.when.page === undefined || event.page === rule.when.page)
}

/** The service day an instant falls on, as `YYYY-MM-DD` (see SERVICE_DAY_OFFSET_MS). */
export function serviceDay(at: number): string {
  return new Date(at + SERVICE_DAY_OFFSET_MS).toISOString().slice(0, 10)
}
