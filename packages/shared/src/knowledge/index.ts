export { type FaqEntry, FaqEntrySchema, type KnowledgeLang, KnowledgeLangSchema } from './faq'
export {
  type ImportProblem,
  type ImportResult,
  knowledgeToJsonLines,
  parseKnowledgeJsonLines,
} from './jsonLines'
export { parseFaqMarkdown } from './markdown'
export {
  confidenceOf,
  type Hit,
  KnowledgeIndex,
  languageOf,
  type RetrievalOptions,
} from './retrieval'
export {
  bigramTokenizer,
  type ChineseSegmenter,
  characterBigrams,
  mixedTokenizer,
  type Tokenizer,
} from './tokens'
