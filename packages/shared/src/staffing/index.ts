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
export {
  type DayTargets,
  ForecastFileError,
  INTERVAL_MINUTES,
  INTERVALS_PER_DAY,
  parseForecastCsv,
  type StaffedDay,
  staffDay,
} from './staffDay'
