import { performance } from 'node:perf_hooks'
import type { KnowledgeEntry } from '@kefu/shared'
import { z } from 'zod'
import { tokenizerOnThisThread, wordsOnThisThread } from './jiebaOnThisThread'
import { rankedHits, type SemanticRanker } from './SemanticRanker'
import { serverIndex } from './serverIndex'

export const EvalQuerySchema = z.object({ q: z.string().min(1), expected_id: z.string().min(1) })
export type EvalQuery = z.infer<typeof EvalQuerySchema>

export interface RetrievalScores {
  queries: number
  top1: number
  top3: number
  /** Mean reciprocal rank over the top 10 (0 when the entry is not among them). */
  mrr: number
  p50Ms: number
  p99Ms: number
  buildMs: number
  /** Encoding the question variants for the ranker; 0 without one. */
  learnMs: number
  /** The queries whose entry was not first: what to read when the figure drops. */
  misses: { q: string; expected: string; got: string | undefined }[]
}

const RANKED = 10

/** The value below which `share` of the sorted samples lie. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0
}

/**
 * Asks the knowledge base every query, as the bot would (reranked by meaning given a ranker), and
 * scores where the expected entry ranks.
 */
export async function evaluateRetrieval(
  entries: readonly KnowledgeEntry[],
  queries: readonly EvalQuery[],
  ranker?: SemanticRanker,
): Promise<RetrievalScores> {
  const started = performance.now()
  const index = serverIndex(entries, tokenizerOnThisThread())
  const buildMs = performance.now() - started
  await ranker?.learn(index.entries)
  const learnMs = performance.now() - started - buildMs
  let top1 = 0
  let top3 = 0
  let reciprocal = 0
  const timings: number[] = []
  const misses: RetrievalScores['misses'] = []
  for (const { q, expected_id } of queries) {
    const asked = performance.now()
    const hits = await rankedHits(index, wordsOnThisThread, ranker, q, RANKED)
    timings.push(performance.now() - asked)
    const rank = hits.findIndex((hit) => hit.entry.id === expected_id)
    if (rank === 0) top1++
    else misses.push({ q, expected: expected_id, got: hits[0]?.entry.id })
    if (rank >= 0 && rank < 3) top3++
    if (rank >= 0) reciprocal += 1 / (rank + 1)
  }
  timings.sort((a, b) => a - b)
  const count = Math.max(1, queries.length)
  return {
    queries: queries.length,
    top1: top1 / count,
    top3: top3 / count,
    mrr: reciprocal / count,
    p50Ms: percentile(timings, 0.5),
    p99Ms: percentile(timings, 0.99),
    buildMs,
    learnMs,
    misses,
  }
}
