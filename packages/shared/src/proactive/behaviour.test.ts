import { describe, expect, it } from 'vitest'
import { type BehaviourEvent, DEFAULT_PROACTIVE_RULES, rulesFiredBy, serviceDay } from './behaviour'

const MINUTE = 60_000
let ids = 0
const view = (at: number, page = 'refund-policy'): BehaviourEvent => ({
  id: `e${++ids}`,
  customerId: 'shopper',
  type: 'page_view',
  at,
  page,
})
const fired = (recent: BehaviourEvent[]) =>
  rulesFiredBy(DEFAULT_PROACTIVE_RULES, recent, recent.at(-1) as BehaviourEvent).map((rule) => rule.id)

describe('proactive rules', () => {
  it('offers help on the third view of the refund policy within ten minutes, not before', () => {
    expect(fired([view(0), view(MINUTE)])).toEqual([])
    expect(fired([view(0), view(MINUTE), view(9 * MINUTE)])).toEqual(['refund-policy-viewed'])
  })

  it('counts only the policy page, and only inside the window', () => {
    expect(fired([view(0), view(MINUTE, 'home'), view(2 * MINUTE)])).toEqual([])
    expect(fired([view(0), view(5 * MINUTE), view(10 * MINUTE)])).toEqual([])
  })

  it('offers help on a failed payment at once', () => {
    const failed: BehaviourEvent = { id: 'p1', customerId: 'shopper', type: 'payment_failed', at: 5 }
    expect(fired([failed])).toEqual(['payment-failed'])
  })

  it('counts days as Beijing does', () => {
    // 2026-12-02 16:30 UTC is 00:30 on the 3rd in Beijing.
    expect(serviceDay(Date.UTC(2026, 11, 2, 15, 59))).toBe('2026-12-02')
    expect(serviceDay(Date.UTC(2026, 11, 2, 16, 30))).toBe('2026-12-03')
  })
})
