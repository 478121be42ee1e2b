import { describe, expect, it } from 'vitest'
import { advanceFlow, type FlowEntry, FlowEntrySchema, findSlotValue, flowStart } from './flow'

const refund: FlowEntry = FlowEntrySchema.parse({
  id: 'refund',
  tier: 'flow',
  lang: 'zh',
  title: '申请退款',
  questions: ['我要退款'],
  start: 'order',
  steps: {
    order: {
      kind: 'ask',
      prompt: '订单号？',
      slot: 'order_id',
      check: 'order_id',
      invalid: '没认出订单号',
      next: 'reason',
    },
    reason: {
      kind: 'choose',
      prompt: '原因？',
      slot: 'reason',
      options: [
        { label: '质量问题', value: 'quality', next: 'check' },
        { label: '不想要了', value: 'changed_mind', next: 'check' },
      ],
    },
    check: { kind: 'call', action: 'refund_eligibility', next: 'by', failed: 'broken' },
    by: { kind: 'branch', slot: 'result_eligible', cases: { true: 'done' }, otherwise: 'refused' },
    done: { kind: 'end', text: '{{order_id}} 退款 {{result_amount}} 元', outcome: 'resolved' },
    refused: { kind: 'end', text: '不能退：{{result_reason}}', outcome: 'handoff' },
    broken: { kind: 'end', text: '系统忙', outcome: 'handoff' },
  },
})

describe('a scenario flow', () => {
  it('asks, validates, offers choices, waits for the webhook and branches on its answer', () => {
    let step = advanceFlow(refund, flowStart(refund), { kind: 'start' })
    expect(step.say).toEqual(['订单号？'])
    step = advanceFlow(refund, step.state, { kind: 'customer', text: '不记得了' })
    expect(step.say).toEqual(['没认出订单号'])
    expect(step.state.attempts).toBe(1)
    step = advanceFlow(refund, step.state, { kind: 'customer', text: '订单号是 2026112000001 谢谢' })
    expect(step.state.slots.order_id).toBe('2026112000001')
    expect(step.say).toEqual(['原因？'])
    expect(step.quickReplies).toEqual(['质量问题', '不想要了'])
    step = advanceFlow(refund, step.state, { kind: 'customer', text: '质量问题' })
    expect(step.call).toBe('refund_eligibility')
    expect(step.state.slots.reason).toBe('quality')
    const refused = advanceFlow(refund, step.state, {
      kind: 'webhook',
      outcome: { ok: true, data: { eligible: false, reason: '已超过 7 天' } },
    })
    expect(refused).toMatchObject({ done: 'handoff', say: ['不能退：已超过 7 天'] })
    const granted = advanceFlow(refund, step.state, {
      kind: 'webhook',
      outcome: { ok: true, data: { eligible: true, amount: 99.5 } },
    })
    expect(granted).toMatchObject({ done: 'resolved', say: ['2026112000001 退款 99.5 元'] })
    expect(advanceFlow(refund, step.state, { kind: 'webhook', outcome: { ok: false } }).say).toEqual([
      '系统忙',
    ])
  })

  it('takes a value already in the words that started it, and hands off after three bad answers', () => {
    const started = advanceFlow(refund, flowStart(refund), {
      kind: 'start',
      text: '我要退款 订单2026112000001',
    })
    expect(started.say).toEqual(['原因？'])
    let state = started.state
    for (const attempt of [1, 2]) {
      const again = advanceFlow(refund, state, { kind: 'customer', text: '随便' })
      expect(again.state.attempts).toBe(attempt)
      state = again.state
    }
    expect(advanceFlow(refund, state, { kind: 'customer', text: '随便' }).done).toBe('handoff')
  })

  it('is refused when a step goes nowhere', () => {
    const broken = { ...refund, steps: { ...refund.steps, by: { ...refund.steps.by, otherwise: 'nowhere' } } }
    const parsed = FlowEntrySchema.safeParse(broken)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toBe('goes to nowhere, which is no step')
  })

  it('finds slot values inside sentences', () => {
    expect(findSlotValue('phone', '手机 138 0013 8000')).toBe('13800138000')
    expect(findSlotValue('email', '发到 Li.Ming@Example.com 吧')).toBe('li.ming@example.com')
    expect(findSlotValue('tax_id', '税号91310000MA1K000000')).toBe('91310000MA1K000000')
    expect(findSlotValue('order_id', '订单 12345')).toBeUndefined()
  })
})
