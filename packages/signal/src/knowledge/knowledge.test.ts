import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseKnowledgeJsonLines } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { EmotionSampleSchema, evaluateEmotion } from '../emotion/evaluate'
import { EvalQuerySchema, evaluateRetrieval } from './evaluate'
import { JiebaThread } from './JiebaThread'
import { jiebaTokenizer, tokenizerOnThisThread } from './jiebaOnThisThread'
import { semanticRanker } from './SemanticRanker'
import { findSentenceModel } from './sentenceModel'
import { serverIndex } from './serverIndex'

const fixtures = join(import.meta.dirname, '../../fixtures')
const lines = (path: string) =>
  readFileSync(join(fixtures, path), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown)
const demo = parseKnowledgeJsonLines(readFileSync(join(fixtures, 'knowledge/demo-kb.jsonl'), 'utf8'))
if (!demo.ok) throw new Error(`the demo knowledge base is malformed: ${JSON.stringify(demo.problems)}`)
const queries = (path: string) => lines(path).map((line) => EvalQuerySchema.parse(line))
// Setup fetches the model (`model:ensure`); the tests run only after setup, so its absence is a failure.
const model = findSentenceModel(import.meta.dirname)
if (!model)
  throw new Error('no sentence model in .cache/models: run `pnpm --filter @kefu/signal model:ensure`')
const ranker = await semanticRanker(model)

describe('the server tokenizer', () => {
  it('keeps product terms whole and English stemmed beside them', () => {
    const terms = jiebaTokenizer()('退货有运费险吗 refunds')
    expect(terms).toContain('运费险')
    expect(terms).toContain('退货')
    expect(terms).toContain('refund')
    // Filler is no term: it would match every question.
    expect(terms).not.toContain('吗')
  })
})

describe('jieba on its own thread', () => {
  it('cuts as jieba on this thread does, and asks the thread again only for runs it has not seen', async () => {
    const jieba = JiebaThread.shared()
    const onThisThread = jiebaTokenizer()
    const question = '退货有运费险吗 refunds 收货地址写错了'
    expect(await jieba.tokenized((tokenize) => tokenize(question))).toEqual(onThisThread(question))
    let runs = 0
    await jieba.tokenized((tokenize) => {
      runs++
      return tokenize(question)
    })
    expect(runs).toBe(1)
    const index = await jieba.tokenized((tokenize) => serverIndex(demo.entries, tokenize))
    const asked = 'how long til i get my money back 发票开错了'
    const hits = await jieba.tokenized(() => index.search(asked))
    expect(hits.map((hit) => hit.entry.id)).toEqual(
      serverIndex(demo.entries, tokenizerOnThisThread())
        .search(asked)
        .map((hit) => hit.entry.id),
    )
  })
})

describe('retrieval over the demo knowledge base', () => {
  it('answers mixed Chinese and English questions in the customer’s language', () => {
    const index = serverIndex(demo.entries, tokenizerOnThisThread())
    expect(index.search('refund 要几天到账')[0]?.entry.id).toBe('refund-time')
    expect(index.search('how long til i get my money back')[0]?.entry.id).toBe('en-refund-time')
    expect(index.search('发票 invoice 开错了')[0]?.entry.id).toBe('invoice-change')
  })

  it('meets the targets on the shipped queries: top-3 ≥ 0.90, top-1 ≥ 0.80', async () => {
    const scores = await evaluateRetrieval(demo.entries, queries('eval/kb-queries.jsonl'), ranker)
    expect(scores.queries).toBeGreaterThanOrEqual(200)
    expect(scores.top3).toBeGreaterThanOrEqual(0.9)
    expect(scores.top1).toBeGreaterThanOrEqual(0.8)
  })

  // Written after the shipped set, each once the changes before it were made, and measured once
  // after them: -2 guided the synonyms of 2026-12-03, -3 was measured after them (words alone:
  // top-1 0.774), -4 after the reranking by meaning. None chose the reranking's weights.
  it.each([
    'eval/kb-queries-holdout.jsonl',
    'eval/kb-queries-holdout-2.jsonl',
    'eval/kb-queries-holdout-3.jsonl',
    'eval/kb-queries-holdout-4.jsonl',
  ])('%s: top-3 ≥ 0.90, top-1 ≥ 0.80 on questions written later', async (path) => {
    const scores = await evaluateRetrieval(demo.entries, queries(path), ranker)
    expect(scores.top3).toBeGreaterThanOrEqual(0.9)
    expect(scores.top1).toBeGreaterThanOrEqual(0.8)
  })

  it('reranking by meaning finds what words alone rank lower', async () => {
    const set = queries('eval/kb-queries-holdout-3.jsonl')
    const words = await evaluateRetrieval(demo.entries, set)
    const meaning = await evaluateRetrieval(demo.entries, set, ranker)
    expect(meaning.top1).toBeGreaterThan(words.top1 + 0.05)
    expect(words.top3).toBeGreaterThanOrEqual(0.9)
  })
})

describe('emotion on the shipped sets', () => {
  // The held-out set was written after the lexicon and never used to tune it.
  it.each(['eval/emotion.jsonl', 'eval/emotion-holdout.jsonl'])('%s: macro-F1 ≥ 0.80', (path) => {
    const samples = lines(path).map((line) => EmotionSampleSchema.parse(line))
    expect(evaluateEmotion(samples).macroF1).toBeGreaterThanOrEqual(0.8)
  })
})
