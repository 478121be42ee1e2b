import type { Tokenizer } from '@kefu/shared'
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import type { Words } from './JiebaThread'
import { JIEBA_USER_DICTIONARY, jiebaTerms } from './jiebaTerms'

// jieba on the caller's thread, for tests, evaluations and benchmarks. The server never imports
// this file: loading jieba's addon alone costs a start about 0.1 s, its dictionary most of a second
// (the server's jieba is on a thread of its own, `JiebaThread`).

/** A tokenizer with its own jieba: loading its dictionary holds this thread for most of a second. */
export function jiebaTokenizer(): Tokenizer {
  const jieba = Jieba.withDict(dict)
  jieba.loadDict(Buffer.from(JIEBA_USER_DICTIONARY))
  return jiebaTerms((run) => jieba.cutForSearch(run, true))
}

let onThisThread: Tokenizer | undefined

/** One tokenizer per process, loaded on first use, for every index built on this thread. */
export function tokenizerOnThisThread(): Tokenizer {
  onThisThread ??= jiebaTokenizer()
  return onThisThread
}

/** Words cut on this thread, for tools that build their index with `serverIndex`. */
export const wordsOnThisThread: Words = {
  tokenized: async (work) => work(tokenizerOnThisThread()),
}
