import {
  type IndexedEntry,
  indexedEntryOf,
  type KnowledgeEntry,
  KnowledgeIndex,
  type Tokenizer,
} from '@kefu/shared'
import { jiebaTokenizer } from './jiebaTokenizer'
import { SHOP_SYNONYMS } from './synonyms'

// Loading jieba's dictionary takes a while: once per process, shared by every index.
let tokenizer: Tokenizer | undefined

/**
 * The knowledge base indexed as the server indexes it: jieba, the product terms, the shop's
 * synonyms; FAQs and scenario flows, found alike by the questions that start them.
 */
export function serverIndex(entries: readonly KnowledgeEntry[]): KnowledgeIndex {
  tokenizer ??= jiebaTokenizer()
  const indexed = entries.map(indexedEntryOf).filter((entry): entry is IndexedEntry => entry !== undefined)
  return new KnowledgeIndex(indexed, { tokenize: tokenizer, synonyms: SHOP_SYNONYMS })
}
