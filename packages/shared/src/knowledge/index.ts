export {
  BOT_PHRASES,
  type BotPolicy,
  type BotState,
  type BotTurn,
  DEFAULT_BOT_POLICY,
  decideBotTurn,
  offerReply,
  personWanted,
  quickReply,
} from './botTurn'
export { EMPATHETIC_REPLIES, empatheticReply } from './empathy'
export {
  indexedEntryOf,
  type KnowledgeEntry,
  KnowledgeEntrySchema,
  type KnowledgeTier,
  validDays,
} from './entry'
export {
  type FaqEntry,
  FaqEntrySchema,
  KnowledgeIdSchema,
  type KnowledgeLang,
  KnowledgeLangSchema,
} from './faq'
export {
  advanceFlow,
  type FlowAdvance,
  type FlowEntry,
  FlowEntrySchema,
  type FlowInput,
  type FlowState,
  FlowStateSchema,
  type FlowStep,
  fillTemplate,
  findSlotValue,
  flowStart,
  MAX_ATTEMPTS,
  type SlotCheck,
  type WebhookOutcome,
} from './flow'
export {
  type ImportProblem,
  type ImportResult,
  knowledgeToJsonLines,
  parseKnowledgeJsonLines,
} from './jsonLines'
export { parseFaqMarkdown } from './markdown'
export {
  matchesPlaybook,
  type PlaybookActivation,
  PlaybookActivationSchema,
  type PlaybookEntry,
  PlaybookEntrySchema,
  routingDuring,
} from './playbook'
export { confidenceByMeaning, rerankByMeaning } from './rerank'
export {
  confidenceOf,
  type Hit,
  type IndexedEntry,
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
