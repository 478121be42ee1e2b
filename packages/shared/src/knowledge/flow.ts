import { z } from 'zod'
import { entryDay as day, KnowledgeIdSchema, KnowledgeLangSchema, entryText as text } from './faq'

const StepIdSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a step id: lower-case letters, digits, _')
const SlotSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a slot name: lower-case letters, digits, _')

/** What a customer's answer must be to fill a slot; the value is found inside a sentence. */
export const SlotCheckSchema = z.enum(['order_id', 'phone', 'email', 'tax_id', 'text'])
export type SlotCheck = z.infer<typeof SlotCheckSchema>

/**
 * One step of a scenario flow. `ask` fills a slot from the customer's words (re-asking on a bad
 * answer), `choose` offers quick replies, `call` asks the integrator's webhook (its answer fills
 * `result_*` slots), `branch` goes by a slot's value, `say` speaks, `end` closes the flow resolved or
 * hands the customer to a person. Texts may name slots as `{{slot}}`.
 */
export const FlowStepSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('ask'),
      prompt: text(500),
      slot: SlotSchema,
      check: SlotCheckSchema,
      invalid: text(300),
      next: StepIdSchema,
    })
    .strict(),
  z
    .object({
      kind: z.literal('choose'),
      prompt: text(500),
      slot: SlotSchema,
      options: z
        .array(z.object({ label: text(20), value: text(40), next: StepIdSchema }).strict())
        .min(2)
        .max(4),
    })
    .strict(),
  z
    .object({
      kind: z.literal('call'),
      action: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
      next: StepIdSchema,
      failed: StepIdSchema,
    })
    .strict(),
  z
    .object({
      kind: z.literal('branch'),
      slot: SlotSchema,
      cases: z.record(z.string().max(40), StepIdSchema),
      otherwise: StepIdSchema,
    })
    .strict(),
  z.object({ kind: z.literal('say'), text: text(1000), next: StepIdSchema }).strict(),
  z.object({ kind: z.literal('end'), text: text(1000), outcome: z.enum(['resolved', 'handoff']) }).strict(),
])
export type FlowStep = z.infer<typeof FlowStepSchema>

/** Where each step may go next. */
function successors(step: FlowStep): string[] {
  switch (step.kind) {
    case 'ask':
    case 'say':
      return [step.next]
    case 'choose':
      return step.options.map((option) => option.next)
    case 'call':
      return [step.next, step.failed]
    case 'branch':
      return [...Object.values(step.cases), step.otherwise]
    case 'end':
      return []
  }
}

/**
 * A scenario flow, the knowledge base's second tier: a multi-step dialogue the assistant runs when a
 * customer's words match one of its `questions` (the same retrieval as FAQ). As one JSON Lines
 * record: `{"id","tier":"flow","lang","title","questions":[...],"start","steps":{"<step>":{...}}}`,
 * with `tags`, `validFrom`, `validUntil` optional. Every step a step names must exist.
 */
export const FlowEntrySchema = z
  .object({
    id: KnowledgeIdSchema,
    tier: z.literal('flow'),
    lang: KnowledgeLangSchema,
    title: text(120),
    questions: z.array(text(300)).min(1).max(30),
    tags: z.array(text(40)).max(20).default([]),
    validFrom: day.optional(),
    validUntil: day.optional(),
    start: StepIdSchema,
    steps: z
      .record(StepIdSchema, FlowStepSchema)
      .refine((steps) => Object.keys(steps).length <= 60, 'at most 60 steps'),
  })
  .strict()
  .superRefine((flow, context) => {
    if (!flow.steps[flow.start])
      context.addIssue({ code: 'custom', path: ['start'], message: `no step ${flow.start}` })
    for (const [id, step] of Object.entries(flow.steps))
      for (const next of successors(step))
        if (!flow.steps[next])
          context.addIssue({
            code: 'custom',
            path: ['steps', id],
            message: `goes to ${next}, which is no step`,
          })
  })
export type FlowEntry = z.infer<typeof FlowEntrySchema>

/** Where a running flow stands: the step it waits at, what it has learnt, tries at the current ask. */
export const FlowStateSchema = z.object({
  flowId: z.string().max(64),
  at: z.string().max(40),
  slots: z.record(z.string().max(40), z.string().max(500)),
  attempts: z.number().int().min(0).max(10),
})
export type FlowState = z.infer<typeof FlowStateSchema>

/** What the integrator's webhook answered a `call` step: its data fills `result_<key>` slots. */
export type WebhookOutcome = { ok: true; data: Record<string, string | number | boolean> } | { ok: false }

/** What the customer's words or the webhook's answer move the flow to. */
export type FlowInput =
  /** The words that started the flow: a value already in them (an order id) is not asked again. */
  | { kind: 'start'; text?: string }
  | { kind: 'customer'; text: string }
  | { kind: 'webhook'; outcome: WebhookOutcome }

export interface FlowAdvance {
  state: FlowState
  /** What the assistant says, in order. */
  say: string[]
  /** Offered after the last line (a `choose` step's options). */
  quickReplies: string[]
  /** The flow waits for the webhook: call this action with the state's slots, then advance again. */
  call?: string
  /** The flow is over: resolved, or the customer goes to a person. */
  done?: 'resolved' | 'handoff'
}

/** A bad answer is asked again this many times before a person takes over. */
export const MAX_ATTEMPTS = 3
/** Steps one advance may take without waiting for anyone: a flow that loops is handed off. */
const MAX_STEPS_PER_ADVANCE = 40

const FINDERS: Record<SlotCheck, (text: string) => string | undefined> = {
  order_id: (text) => /(?<![0-9A-Za-z])[A-Za-z]{0,3}\d{8,20}(?![0-9])/.exec(text)?.[0]?.toUpperCase(),
  phone: (text) => /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(text.replace(/[\s-]/g, ''))?.[0],
  email: (text) => /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(text)?.[0]?.toLowerCase(),
  tax_id: (text) => /(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])/.exec(text.toUpperCase())?.[0],
  text: (text) => {
    const said = text.trim()
    return said.length >= 2 ? said.slice(0, 500) : undefined
  },
}

/** The value a check finds in what the customer wrote, if any. */
export function findSlotValue(check: SlotCheck, text: string): string | undefined {
  return FINDERS[check](text.normalize('NFKC'))
}

/** `text` with each `{{slot}}` replaced by its value (an unknown slot reads as empty). */
export function fillTemplate(text: string, slots: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_whole, name: string) => slots[name] ?? '')
}

/** The slot value and the next step a customer's answer to an `ask` or `choose` gives, if it does. */
function readAnswer(
  step: Extract<FlowStep, { kind: 'ask' | 'choose' }>,
  said: string,
): { value: string; next: string } | undefined {
  if (step.kind === 'ask') {
    const value = findSlotValue(step.check, said)
    return value === undefined ? undefined : { value, next: step.next }
  }
  const words = said.trim().toLowerCase()
  const option =
    step.options.find(
      (choice) => choice.label.toLowerCase() === words || choice.value.toLowerCase() === words,
    ) ?? step.options.find((choice) => words.includes(choice.label.toLowerCase()))
  return option && { value: option.value, next: option.next }
}

/**
 * Moves a flow on from `state` with one input, step by step, until it must wait for the customer
 * (an `ask` or `choose`), for the webhook (a `call`), or ends. Pure: the server keeps the state in
 * the conversation's history and performs the call.
 */
export function advanceFlow(flow: FlowEntry, state: FlowState, input: FlowInput): FlowAdvance {
  const say: string[] = []
  let { at, attempts } = state
  const slots = { ...state.slots }
  let pending: FlowInput | undefined = input.kind === 'start' ? undefined : input
  const opening = input.kind === 'start' ? input.text : undefined
  const result = (extra: Partial<FlowAdvance> = {}): FlowAdvance => ({
    state: { flowId: flow.id, at, slots, attempts },
    say,
    quickReplies: [],
    ...extra,
  })
  for (let taken = 0; taken < MAX_STEPS_PER_ADVANCE; taken++) {
    const step = flow.steps[at]
    if (!step) return result({ done: 'handoff' })
    switch (step.kind) {
      case 'say':
        say.push(fillTemplate(step.text, slots))
        at = step.next
        continue
      case 'end':
        say.push(fillTemplate(step.text, slots))
        return result({ done: step.outcome })
      case 'branch':
        at = step.cases[slots[step.slot] ?? ''] ?? step.otherwise
        continue
      case 'call': {
        if (pending?.kind !== 'webhook') return result({ call: step.action })
        const { outcome } = pending
        pending = undefined
        if (outcome.ok)
          for (const [key, value] of Object.entries(outcome.data))
            slots[`result_${key}`] = String(value).slice(0, 500)
        at = outcome.ok ? step.next : step.failed
        continue
      }
      case 'ask':
      case 'choose': {
        const options = step.kind === 'choose' ? step.options.map((option) => option.label) : []
        // "我要退款，订单 2026112000001" has answered the order-id question before it is asked.
        const early =
          step.kind === 'ask' && step.check !== 'text' && opening !== undefined && !(step.slot in slots)
            ? readAnswer(step, opening)
            : undefined
        if (early) {
          slots[step.slot] = early.value
          at = early.next
          continue
        }
        if (pending?.kind !== 'customer') {
          say.push(fillTemplate(step.prompt, slots))
          return result({ quickReplies: options })
        }
        const found = readAnswer(step, pending.text)
        pending = undefined
        if (found) {
          slots[step.slot] = found.value
          at = found.next
          attempts = 0
          continue
        }
        attempts += 1
        if (attempts >= MAX_ATTEMPTS) return result({ done: 'handoff' })
        say.push(step.kind === 'ask' ? step.invalid : fillTemplate(step.prompt, slots))
        return result({ quickReplies: options })
      }
    }
  }
  return result({ done: 'handoff' })
}

/** A flow's state before its first step. */
export function flowStart(flow: FlowEntry): FlowState {
  return { flowId: flow.id, at: flow.start, slots: {}, attempts: 0 }
}
