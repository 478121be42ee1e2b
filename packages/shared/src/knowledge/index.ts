export {
  BOT_PHRASES,
  type BotPolicy,
  type BotState,
  type BotTurn,
  DEFAULT_BOT_POLICY,
  decideBotTurn,
  quickReply,
} from './botTurn'
export { EMPATHETIC_REPLIES, empatheticReply } from './empathy'
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
  type EntryReview,
  EntryReviewSchema,
  isInForce,
  type KnowledgeRecord,
  KnowledgeRecordSchema,
  type KnowledgeReview,
  KnowledgeReviewSchema,
  type KnowledgeStatus,
  KnowledgeStatusSchema,
  type KnowledgeUsage,
  KnowledgeUsageSchema,
  type KnowledgeUse,
  QUARTERLY_RETIREMENT_SHARE,
  reviewKnowledge,
  type StaleFlag,
} from './review'
export {
  bigramTokenizer,
  type ChineseSegmenter,
  characterBigrams,
  mixedTokenizer,
  type Tokenizer,
} from './tokens'
