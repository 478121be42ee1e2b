import { type Hit, type IndexedEntry, type KnowledgeIndex, rerankByMeaning } from '@kefu/shared'
import { LRUCache } from 'lru-cache'
import type { Words } from './JiebaThread'
import { SentenceEncoder } from './SentenceEncoder'

/** BM25 finds the candidates; meaning orders this many of them. */
const CANDIDATES = 20
const BATCH = 32
/** Room for 10,000 entries of five variants; a vector is 2 KB. */
const REMEMBERED_TEXTS = 50_000

/**
 * Reorders the word index's hits by what they mean: each candidate's closest question variant to
 * the customer's words, by the sentence model (see `rerankByMeaning` for how the two are weighed).
 * Variants are encoded when entries are learned, never while a customer waits.
 */
export class SemanticRanker {
  private readonly vectors = new LRUCache<string, Float32Array>({ max: REMEMBERED_TEXTS })

  constructor(private readonly encoder: SentenceEncoder) {}

  /**
   * Encodes the question variants not seen before; the ranker then reorders those entries. Saving
   * an entry never fails on the model: one it could not encode is ranked by words.
   */
  async learn(entries: readonly IndexedEntry[]): Promise<void> {
    const unseen = [...new Set(entries.flatMap((entry) => entry.questions))].filter(
      (text) => !this.vectors.has(text),
    )
    for (let at = 0; at < unseen.length; at += BATCH) {
      const batch = unseen.slice(at, at + BATCH)
      const vectors = await this.encoder.encode(batch).catch(() => undefined)
      if (!vectors) return
      batch.forEach((text, i) => {
        this.vectors.set(text, vectors[i] as Float32Array)
      })
    }
  }

  /** What a question means, to rerank its hits with. */
  async meaningOf(question: string): Promise<Float32Array> {
    const [vector] = await this.encoder.encode([question])
    return vector as Float32Array
  }

  /** The `k` best of the hits, best first, by words and meaning together. */
  rerank(asked: Float32Array, hits: readonly Hit[], k: number): Hit[] {
    const similarities = hits.map((hit) => this.closest(asked, hit.entry))
    return rerankByMeaning(hits, similarities, k)
  }

  /** The cosine of the entry's variant closest to the question; undefined for one not learned. */
  private closest(asked: Float32Array, entry: IndexedEntry): number | undefined {
    let best: number | undefined
    for (const text of entry.questions) {
      const vector = this.vectors.get(text)
      if (!vector) return undefined
      let dot = 0
      for (let i = 0; i < vector.length; i++) dot += (vector[i] as number) * (asked[i] as number)
      if (best === undefined || dot > best) best = dot
    }
    return best
  }
}

/** The `k` best entries of the index for a question: by its words, then by meaning given a ranker. */
export async function rankedHits(
  index: KnowledgeIndex,
  words: Words,
  ranker: SemanticRanker | undefined,
  question: string,
  k: number,
): Promise<Hit[]> {
  if (!ranker) return words.tokenized(() => index.search(question, k))
  // The model reads the question on its own thread while this one searches the words.
  const meaning = ranker.meaningOf(question).catch(() => undefined)
  const hits = await words.tokenized(() => index.search(question, Math.max(k, CANDIDATES)))
  const asked = await meaning
  // A customer is answered even if the model has stopped: by words alone.
  return asked ? ranker.rerank(asked, hits, k) : hits.slice(0, k)
}

// Opening the model takes a moment and its vectors are the same for every server in a process
// (the tests start many): one ranker per model folder.
const opened = new Map<string, Promise<SemanticRanker>>()

export function semanticRanker(folder: string): Promise<SemanticRanker> {
  let ranker = opened.get(folder)
  if (!ranker) {
    ranker = SentenceEncoder.open(folder).then((encoder) => new SemanticRanker(encoder))
    opened.set(folder, ranker)
  }
  return ranker
}
