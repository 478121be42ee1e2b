import {
  type IndexedEntry,
  indexedEntryOf,
  type KnowledgeEntry,
  KnowledgeIndex,
  type Tokenizer,
} from '@kefu/shared'
import { SHOP_SYNONYMS } from './synonyms'

/**
 * The knowledge base indexed as the server indexes it: jieba, the product terms, the shop's
 * synonyms; FAQs and scenario flows, found alike by the questions that start them.
 */
export function serverIndex(entries: readonly KnowledgeEntry[], tokenize: Tokenizer): KnowledgeIndex {
  const indexed = entries.map(indexedEntryOf).filter((entry): entry is IndexedEntry => entry !== undefined)
  return new KnowledgeIndex(indexed, { tokenize, synonyms: SHOP_SYNONYMS })
}
