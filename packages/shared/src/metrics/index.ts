export {
  type ConversationFacts,
  conversationFacts,
  FCR_WINDOW_MS,
  type HandlingSpan,
} from './conversationFacts'
export {
  emptyFigures,
  type FiguresFor,
  figuresOf,
  meanOf,
  mergeFigures,
  type QualityFigures,
  type Tally,
} from './qualityFigures'
