export {
  type AlertRules,
  AlertRulesSchema,
  ANOMALY_FIGURES,
  type AnomalyFigure,
  breaches,
  DEFAULT_ALERT_RULES,
  EwmaBaseline,
  type EwmaState,
  type ThresholdRule,
  ThresholdRuleSchema,
} from './alertRules'
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
  addToTotal,
  DASHBOARD_FIGURES,
  type DashboardFigure,
  emptyFigures,
  FIGURE_NAMES,
  type FigureName,
  type FiguresFor,
  figuresOf,
  meanOf,
  mergeFigures,
  type QualityFigures,
  SHARE_FIGURES,
  type Tally,
} from './qualityFigures'
