import { z } from 'zod'
import { TeamIdSchema } from '../ids'
import { DASHBOARD_FIGURES } from './qualityFigures'

/**
 * A limit on one figure: alerted when the figure of the last `windowMs` crosses it, once it is taken
 * over at least `minCount` conversations (one slow answer in a quiet minute is not a trend).
 * Without `teamId` it applies to every team, each on its own figures.
 */
export const ThresholdRuleSchema = z
  .object({
    figure: z.enum(DASHBOARD_FIGURES),
    teamId: TeamIdSchema.optional(),
    above: z.number().optional(),
    below: z.number().optional(),
    windowMs: z
      .number()
      .int()
      .min(60_000)
      .default(5 * 60_000),
    minCount: z.number().int().min(1).default(3),
  })
  .refine((rule) => (rule.above === undefined) !== (rule.below === undefined), {
    message: 'A threshold is either above or below',
  })
export type ThresholdRule = z.infer<typeof ThresholdRuleSchema>

/** What is watched for breaks from its own recent baseline (EWMA with a z-score). */
export const ANOMALY_FIGURES = ['queue', 'abandonment', 'csat'] as const
export type AnomalyFigure = (typeof ANOMALY_FIGURES)[number]

export const AlertRulesSchema = z.object({
  thresholds: z.array(ThresholdRuleSchema),
  anomaly: z
    .object({
      /** How far from the baseline, in standard deviations, is a break. */
      zScore: z.number().positive().default(3),
      /** The EWMA's weight of each new observation. */
      alpha: z.number().gt(0).lt(1).default(0.1),
      /** Observations before the baseline is trusted. */
      warmup: z.number().int().min(2).default(12),
    })
    .default({ zScore: 3, alpha: 0.1, warmup: 12 }),
})
export type AlertRules = z.infer<typeof AlertRulesSchema>

/**
 * The defaults: the article's VIP promise (premium answered within 15 s), a first response within a
 * minute anywhere, 80 % served within the answer target, at most 10 % abandoning, CSAT at least 70 %.
 */
export const DEFAULT_ALERT_RULES: AlertRules = AlertRulesSchema.parse({
  thresholds: [
    { figure: 'frt', teamId: 'premium', above: 15_000, minCount: 1 },
    { figure: 'frt', above: 60_000 },
    { figure: 'serviceLevel', below: 0.8, minCount: 5 },
    { figure: 'abandonment', above: 0.1, minCount: 5 },
    { figure: 'csat', below: 0.7, minCount: 5 },
  ],
})

/** True when a figure breaks the rule's limit. */
export function breaches(rule: ThresholdRule, value: number): boolean {
  return rule.above !== undefined ? value > rule.above : rule.below !== undefined && value < rule.below
}

/**
 * A running baseline: exponentially weighted mean and variance of what was observed. `observe`
 * gives how far the new observation is from the baseline before it (in standard deviations), then
 * takes it in; undefined while the baseline is still warming up or flat.
 */
export class EwmaBaseline {
  private mean: number
  private variance: number
  private seen: number

  /**
   * `floor` is the smallest spread taken as real: with a flat baseline (an empty queue all morning)
   * one more person waiting is not a break, `floor` more are.
   */
  constructor(
    private readonly alpha: number,
    private readonly warmup: number,
    private readonly floor: number,
    /** Where an earlier baseline stopped (`state`), to go on from it. */
    from: EwmaState = { mean: 0, variance: 0, seen: 0 },
  ) {
    this.mean = from.mean
    this.variance = from.variance
    this.seen = from.seen
  }

  observe(value: number): number | undefined {
    const deviation = value - this.mean
    const spread = Math.max(Math.sqrt(this.variance), this.floor)
    const z = this.seen >= this.warmup ? deviation / spread : undefined
    if (this.seen === 0) this.mean = value
    else {
      // West's incremental EWMA variance: the mean moves by alpha of the deviation.
      this.mean += this.alpha * deviation
      this.variance = (1 - this.alpha) * (this.variance + this.alpha * deviation * deviation)
    }
    this.seen++
    return z
  }

  get baseline(): number {
    return this.mean
  }

  /** What it has learnt, to be kept and resumed (after a restart, at another node). */
  get state(): EwmaState {
    return { mean: this.mean, variance: this.variance, seen: this.seen }
  }
}

/** An `EwmaBaseline`'s learnt mean, spread and how many values it has seen. */
export interface EwmaState {
  mean: number
  variance: number
  seen: number
}
