export {
  type ConversationFacts,
  ConversationFold,
  conversationFacts,
  FCR_WINDOW_MS,
  type HandlingSpan,
} from './conversationFacts'
export { BUCKET_MS, type LedgerOptions, QualityLedger, type SliceKey } from './QualityLedger'
export {
  addInto,
  emptyFigures,
  FIGURE_NAMES,
  type FigureName,
  type FiguresFor,
  figuresOf,
  meanOf,
  mergeFigures,
  type QualityFigures,
  type Tally,
} from './qualityFigures'
