export {
  BehaviourBatchSchema,
  type BehaviourEvent,
  BehaviourEventSchema,
  DEFAULT_PROACTIVE_RULES,
  type ProactiveRule,
  ProactiveRuleSchema,
  rulesFiredBy,
  serviceDay,
} from './behaviour'
