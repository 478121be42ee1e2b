export { type FaqEntry, FaqEntrySchema, type KnowledgeLang, KnowledgeLangSchema } from './faq'
export {
  type ImportProblem,
  type ImportResult,
  knowledgeToJsonLines,
  parseKnowledgeJsonLines,
} from './jsonLines'
export { parseFaqMarkdown } from './markdown'
