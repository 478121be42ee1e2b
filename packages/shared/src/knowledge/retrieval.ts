import type { FaqEntry } from './faq'
import type { Tokenizer } from './tokens'

/** One entry found for a question, with its BM25 score and the confidence that it answers it. */
export interface Hit {
  entry: FaqEntry
  score: number
  /** 0-1: how sure the ranking is that this entry answers the question (see `confidenceOf`). */
  confidence: number
}

export interface RetrievalOptions {
  tokenize: Tokenizer
  /** Words that mean the same to customers, each group written as its members' own terms. */
  synonyms?: readonly (readonly string[])[]
  /** BM25's saturation and length normalisation. */
  k1?: number
  b?: number
}

interface Document {
  entry: FaqEntry
  /** Term frequencies of the field, and its length in terms. */
  terms: Map<string, number>
  length: number
  /** Question variants count more than the answer's words. */
  weight: number
}

const QUESTION_WEIGHT = 1
const ANSWER_WEIGHT = 0.35

/**
 * BM25 over every question variant and every answer (each its own document, the answer weighted
 * less), an entry scored by its best document. Synonyms are folded into one term at indexing and
 * at query time, so "退款" and "退钱" meet.
 */
export class KnowledgeIndex {
  private readonly documents: Document[] = []
  private readonly documentFrequency = new Map<string, number>()
  private readonly canonical = new Map<string, string>()
  private averageLength = 0
  private readonly k1: number
  private readonly b: number

  constructor(
    entries: readonly FaqEntry[],
    private readonly options: RetrievalOptions,
  ) {
    this.k1 = options.k1 ?? 1.2
    this.b = options.b ?? 0.75
    for (const group of options.synonyms ?? []) {
      const terms = group.flatMap((member) => options.tokenize(member))
      const [first] = terms
      if (first) for (const term of terms) this.canonical.set(term, first)
    }
    for (const entry of entries) {
      for (const question of entry.questions) this.add(entry, question, QUESTION_WEIGHT)
      this.add(entry, entry.answer, ANSWER_WEIGHT)
    }
    this.averageLength =
      this.documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, this.documents.length)
  }

  /** The `k` best entries for a question, best first; none when nothing matches. */
  search(question: string, k = 3): Hit[] {
    const terms = [...new Set(this.terms(question))]
    const best = new Map<string, { entry: FaqEntry; score: number }>()
    const total = this.documents.length
    for (const document of this.documents) {
      let score = 0
      for (const term of terms) {
        const frequency = document.terms.get(term)
        if (!frequency) continue
        const containing = this.documentFrequency.get(term) ?? 0
        const idf = Math.log(1 + (total - containing + 0.5) / (containing + 0.5))
        const norm = frequency + this.k1 * (1 - this.b + (this.b * document.length) / this.averageLength)
        score += (idf * frequency * (this.k1 + 1)) / norm
      }
      score *= document.weight
      const known = best.get(document.entry.id)
      if (score > 0 && (!known || score > known.score))
        best.set(document.entry.id, { entry: document.entry, score })
    }
    const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, k)
    const ceiling = this.ceilingOf(terms)
    return ranked.map((hit, index) => ({
      ...hit,
      confidence: confidenceOf(hit.score, ceiling, index === 0 ? ranked[1]?.score : undefined),
    }))
  }

  private terms(text: string): string[] {
    return this.options.tokenize(text).map((term) => this.canonical.get(term) ?? term)
  }

  // The best score the question's terms could reach: every term matched once in a document of
  // average length. A term the knowledge base never uses counts at its rarest: the question says
  // something no entry speaks of. A hit's share of it says how much of the question it covers.
  private ceilingOf(terms: readonly string[]): number {
    const total = this.documents.length
    let ceiling = 0
    for (const term of terms) {
      const containing = this.documentFrequency.get(term) ?? 0
      ceiling += Math.log(1 + (total - containing + 0.5) / (containing + 0.5))
    }
    return ceiling * QUESTION_WEIGHT
  }

  private add(entry: FaqEntry, text: string, weight: number): void {
    const terms = new Map<string, number>()
    const all = this.terms(text)
    for (const term of all) terms.set(term, (terms.get(term) ?? 0) + 1)
    for (const term of terms.keys())
      this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1)
    this.documents.push({ entry, terms, length: all.length, weight })
  }
}

/**
 * How sure a hit is: its share of the question's reachable score (coverage of the question's
 * informative terms), lowered when the runner-up is nearly as good (the question is ambiguous).
 * A logistic squashes it to 0-1 around a coverage of one half.
 */
export function confidenceOf(score: number, ceiling: number, runnerUp: number | undefined): number {
  if (ceiling <= 0 || score <= 0) return 0
  const coverage = Math.min(1, score / ceiling)
  const margin = runnerUp === undefined ? 1 : Math.min(1, (score - runnerUp) / score + 0.5)
  return 1 / (1 + Math.exp(-10 * (coverage * margin - 0.5)))
}
