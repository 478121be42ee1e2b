import { type FaqEntry, KnowledgeIndex, type Tokenizer } from '@kefu/shared'
import { jiebaTokenizer } from './jiebaTokenizer'
import { SHOP_SYNONYMS } from './synonyms'

// Loading jieba's dictionary takes a while: once per process, shared by every index.
let tokenizer: Tokenizer | undefined

/** The knowledge base indexed as the server indexes it: jieba, the product terms, the shop's synonyms. */
export function serverIndex(entries: readonly FaqEntry[]): KnowledgeIndex {
  tokenizer ??= jiebaTokenizer()
  return new KnowledgeIndex(entries, { tokenize: tokenizer, synonyms: SHOP_SYNONYMS })
}
