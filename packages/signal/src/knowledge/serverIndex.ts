import {
  type IndexedEntry,
  indexedEntryOf,
  type KnowledgeEntry,
  KnowledgeIndex,
  type Tokenizer,
} from '@kefu/shared'
import type { Words } from './JiebaThread'
import { jiebaTokenizer } from './jiebaTokenizer'
import { SHOP_SYNONYMS } from './synonyms'

// Loading jieba's dictionary takes a while: once per process, for every index built on this thread.
let onThisThread: Tokenizer | undefined

/**
 * The knowledge base indexed as the server indexes it: jieba, the product terms, the shop's
 * synonyms; FAQs and scenario flows, found alike by the questions that start them.
 */
export function serverIndex(
  entries: readonly KnowledgeEntry[],
  tokenize: Tokenizer = tokenizerOnThisThread(),
): KnowledgeIndex {
  const indexed = entries.map(indexedEntryOf).filter((entry): entry is IndexedEntry => entry !== undefined)
  return new KnowledgeIndex(indexed, { tokenize, synonyms: SHOP_SYNONYMS })
}

function tokenizerOnThisThread(): Tokenizer {
  onThisThread ??= jiebaTokenizer()
  return onThisThread
}

/** Words cut on this thread, for tools that build their index with `serverIndex` and no tokenizer. */
export const wordsOnThisThread: Words = {
  tokenized: async (work) => work(tokenizerOnThisThread()),
}
