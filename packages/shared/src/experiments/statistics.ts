/**
 * Confidence intervals and tests for comparing two variants, at 95 %: means by the normal
 * approximation with each arm's own variance (Welch), shares by Wilson's interval and the pooled
 * two-proportion z-test. Below `MIN_PER_ARM` observations in either arm, or fewer than
 * `MIN_EVENTS` successes and failures for a share, the sample is called too small instead.
 */
const Z_95 = 1.959963984540054
export const MIN_PER_ARM = 30
export const MIN_EVENTS = 5

export interface Estimate {
  value: number
  low: number
  high: number
  n: number
}

export interface Comparison {
  a: Estimate | undefined
  b: Estimate | undefined
  /** b minus a, with its interval. */
  difference: Estimate | undefined
  /** Two-sided p-value of "no difference". */
  p: number | undefined
  verdict: 'too_small' | 'significant' | 'not_significant'
}

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  const variance =
    values.length < 2 ? 0 : values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)
  return { mean, variance }
}

/** The mean with its 95 % interval. */
export function meanEstimate(values: readonly number[]): Estimate | undefined {
  if (values.length === 0) return undefined
  const { mean, variance } = meanAndVariance(values)
  const half = Z_95 * Math.sqrt(variance / values.length)
  return { value: mean, low: mean - half, high: mean + half, n: values.length }
}

/** A share (successes of n) with Wilson's 95 % interval, which stays inside 0-1 for small samples. */
export function shareEstimate(successes: number, n: number): Estimate | undefined {
  if (n === 0) return undefined
  const share = successes / n
  const z2 = Z_95 * Z_95
  const centre = (share + z2 / (2 * n)) / (1 + z2 / n)
  const half = (Z_95 * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
  return { value: share, low: centre - half, high: centre + half, n }
}

/** The standard normal's cumulative distribution (Zelen & Severo's approximation, error < 1e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z))
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)
  const tail =
    density * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  return z >= 0 ? 1 - tail : tail
}

const twoSided = (z: number) => 2 * (1 - normalCdf(Math.abs(z)))

/** Two arms' means (e.g. first response times). */
export function compareMeans(a: readonly number[], b: readonly number[]): Comparison {
  const estimateA = meanEstimate(a)
  const estimateB = meanEstimate(b)
  if (!estimateA || !estimateB || a.length < MIN_PER_ARM || b.length < MIN_PER_ARM)
    return { a: estimateA, b: estimateB, difference: undefined, p: undefined, verdict: 'too_small' }
  const spread = Math.sqrt(meanAndVariance(a).variance / a.length + meanAndVariance(b).variance / b.length)
  const delta = estimateB.value - estimateA.value
  const p = spread === 0 ? (delta === 0 ? 1 : 0) : twoSided(delta / spread)
  return {
    a: estimateA,
    b: estimateB,
    difference: {
      value: delta,
      low: delta - Z_95 * spread,
      high: delta + Z_95 * spread,
      n: a.length + b.length,
    },
    p,
    verdict: p < 0.05 ? 'significant' : 'not_significant',
  }
}

/** Two arms' shares (e.g. CSAT, FCR), as successes of n. */
export function compareShares(
  a: { successes: number; n: number },
  b: { successes: number; n: number },
): Comparison {
  const estimateA = shareEstimate(a.successes, a.n)
  const estimateB = shareEstimate(b.successes, b.n)
  const enough = (arm: { successes: number; n: number }) =>
    arm.n >= MIN_PER_ARM && arm.successes >= MIN_EVENTS && arm.n - arm.successes >= MIN_EVENTS
  if (!estimateA || !estimateB || !enough(a) || !enough(b))
    return { a: estimateA, b: estimateB, difference: undefined, p: undefined, verdict: 'too_small' }
  const pooled = (a.successes + b.successes) / (a.n + b.n)
  const pooledSpread = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
  const delta = estimateB.value - estimateA.value
  const p = pooledSpread === 0 ? 1 : twoSided(delta / pooledSpread)
  const spread = Math.sqrt(
    (estimateA.value * (1 - estimateA.value)) / a.n + (estimateB.value * (1 - estimateB.value)) / b.n,
  )
  return {
    a: estimateA,
    b: estimateB,
    difference: { value: delta, low: delta - Z_95 * spread, high: delta + Z_95 * spread, n: a.n + b.n },
    p,
    verdict: p < 0.05 ? 'significant' : 'not_significant',
  }
}
