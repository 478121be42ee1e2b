import { describe, expect, it } from 'vitest'
import { DEMO_EXPERIMENTS, ExperimentSchema, variantFor } from './experiments'
import { compareMeans, compareShares, meanEstimate, normalCdf, shareEstimate } from './statistics'

describe('the split', () => {
  const experiment = ExperimentSchema.parse({
    id: 'greeting',
    name: 'Greeting',
    variants: [{ id: 'A' }, { id: 'B' }],
  })

  it('gives a customer the same variant every time, and splits customers as asked', () => {
    expect(variantFor(experiment, 'u42').id).toBe(variantFor(experiment, 'u42').id)
    const ids = Array.from({ length: 10_000 }, (_, i) => `customer-${i}`)
    const share = ids.filter((id) => variantFor(experiment, id).id === 'A').length / ids.length
    expect(share).toBeGreaterThan(0.48)
    expect(share).toBeLessThan(0.52)
    const skewed = { ...experiment, split: 0.2 }
    const skewedShare = ids.filter((id) => variantFor(skewed, id).id === 'A').length / ids.length
    expect(skewedShare).toBeGreaterThan(0.18)
    expect(skewedShare).toBeLessThan(0.22)
    // Two experiments split independently: the same customer is not always on the same side.
    const other = { ...experiment, id: 'routing' }
    const same = ids.filter((id) => variantFor(experiment, id).id === variantFor(other, id).id).length
    expect(same / ids.length).toBeGreaterThan(0.45)
    expect(same / ids.length).toBeLessThan(0.55)
  })

  it('ships a demo experiment with two greetings', () => {
    expect(DEMO_EXPERIMENTS[0]?.variants.map((variant) => Boolean(variant.greeting))).toEqual([true, true])
  })
})

describe('the statistics (hand-computed)', () => {
  it('gives the standard normal’s known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6)
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6)
  })

  it('puts a mean’s 95 % interval at 1.96 standard errors', () => {
    // 1..9: mean 5, sample variance 7.5, standard error sqrt(7.5 / 9).
    const estimate = meanEstimate([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(estimate?.value).toBe(5)
    expect(estimate?.high).toBeCloseTo(5 + 1.959964 * Math.sqrt(7.5 / 9), 6)
  })

  it('keeps Wilson’s interval inside 0-1: none of 10 is at most 27.8 %', () => {
    const none = shareEstimate(0, 10)
    expect(none?.low).toBeCloseTo(0, 9)
    // z² / (n + z²) = 3.8415 / 13.8415.
    expect(none?.high).toBeCloseTo(0.27753, 4)
  })

  it('tests two shares: 60 % of 200 against 45 % of 200 is significant (z ≈ -3.00, p ≈ 0.0027)', () => {
    const result = compareShares({ successes: 120, n: 200 }, { successes: 90, n: 200 })
    expect(result.verdict).toBe('significant')
    expect(result.difference?.value).toBeCloseTo(-0.15, 9)
    expect(result.p).toBeCloseTo(0.00267, 4)
    const close = compareShares({ successes: 120, n: 200 }, { successes: 114, n: 200 })
    expect(close.verdict).toBe('not_significant')
  })

  it('says a sample is too small rather than guess', () => {
    expect(compareShares({ successes: 9, n: 10 }, { successes: 2, n: 10 }).verdict).toBe('too_small')
    expect(compareMeans([1, 2, 3], [10, 11, 12]).verdict).toBe('too_small')
  })

  it('compares two means with each arm’s own variance', () => {
    const a = Array.from({ length: 40 }, (_, i) => 10_000 + (i % 5) * 1000)
    const b = a.map((value) => value + 3000)
    const result = compareMeans(a, b)
    expect(result.verdict).toBe('significant')
    expect(result.difference?.value).toBeCloseTo(3000, 6)
    expect(compareMeans(a, [...a]).verdict).toBe('not_significant')
  })
})
