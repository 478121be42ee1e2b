export {
  type AgentSeat,
  type AgentStatus,
  type Assignment,
  type QueueEntry,
  Router,
  type RouterSnapshot,
} from './Router'
export {
  ANGER_PRIORITY_BOOST,
  DEFAULT_ROUTING_CONFIG,
  findTeam,
  priorityOf,
  type RoutingConfig,
  RoutingConfigSchema,
  type RuleCondition,
  selectTeam,
  type TeamConfig,
  TeamConfigSchema,
  type TeamRule,
} from './rules'
