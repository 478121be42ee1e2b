export {
  agentsNeeded,
  type StaffingAnswer,
  type StaffingDemand,
  serviceLevel,
  waitProbability,
} from './erlangC'
