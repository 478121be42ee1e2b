export {
  agentsNeeded,
  type StaffingAnswer,
  type StaffingDemand,
  serviceLevel,
  waitProbability,
} from './erlangC'
export {
  DEFAULT_SHIFT_OPTIONS,
  planShifts,
  type ShiftPlan,
  type ShiftPlanOptions,
  shiftPlanCsv,
} from './shiftPlan'
