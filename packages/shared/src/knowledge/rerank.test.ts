import { describe, expect, it } from 'vitest'
import { confidenceByMeaning, rerankByMeaning } from './rerank'
import type { Hit } from './retrieval'

const hit = (id: string, score: number, confidence = 0.5): Hit => ({
  entry: { id, tier: 'faq', questions: [id], answer: 'x', lang: 'zh' },
  score,
  confidence,
})
const ids = (hits: readonly Hit[]) => hits.map((found) => found.entry.id)

describe('reranking by meaning', () => {
  it('lifts the entry that means what was asked over one that only shares more words', () => {
    const ranked = rerankByMeaning([hit('return-address', 8), hit('return-apply', 6)], [0.62, 0.88], 2)
    expect(ids(ranked)).toEqual(['return-apply', 'return-address'])
    expect(ranked[0]?.similarity).toBe(0.88)
  })

  it('keeps the words’ order between entries that mean alike', () => {
    const ranked = rerankByMeaning([hit('refund-apply', 8), hit('exchange-apply', 4)], [0.8, 0.81], 2)
    expect(ids(ranked)).toEqual(['refund-apply', 'exchange-apply'])
  })

  it('leaves the words’ order, and their confidence, when an entry has no vector yet', () => {
    const hits = [hit('a', 8, 0.7), hit('b', 6, 0.4), hit('c', 1, 0.1)]
    expect(rerankByMeaning(hits, [0.5, undefined, 0.9], 2)).toEqual(hits.slice(0, 2))
  })

  it('is surer of a close, clear match than of a distant or contested one', () => {
    const clear = confidenceByMeaning(0.8, 0.9, 0.6)
    expect(clear).toBeGreaterThan(0.9)
    expect(confidenceByMeaning(0.8, 0.6, 0.55)).toBeLessThan(0.5)
    expect(confidenceByMeaning(0.8, 0.9, 0.89)).toBeLessThan(clear)
  })

  it('does not count a twin (the flow beside its FAQ, equally close) as a rival', () => {
    const [first] = rerankByMeaning(
      [hit('refund-apply', 8), hit('flow-refund', 8), hit('ship-fee', 2)],
      [0.9, 0.9, 0.5],
      1,
    )
    expect(first?.confidence).toBeCloseTo(confidenceByMeaning(0.5, 0.9, 0.5))
  })
})
