export * from './bridge/index'
export * from './domain/index'
export * from './emotion/index'
export { ErrorCode, isKefuError, KefuError } from './errors'
export * from './experiments/index'
export {
  asClientMessageId,
  asConversationId,
  asTeamId,
  asUserId,
  type ClientMessageId,
  ClientMessageIdSchema,
  type ConversationId,
  ConversationIdSchema,
  newClientMessageId,
  type TeamId,
  TeamIdSchema,
  type UserId,
  UserIdSchema,
} from './ids'
export * from './knowledge/index'
export * from './limits/index'
export * from './metrics/index'
export type {
  Cancel,
  Clock,
  IdSource,
  KeyValueStore,
  Logger,
  PcmPlayer,
  PcmRecorder,
  Transport,
} from './ports'
export * from './proactive/index'
export * from './protocol/index'
export { err, ok, type Result } from './result'
export * from './routing/index'
export { disableCodeGeneration } from './runtime'
export * from './session/index'
export * from './spatial/index'
export * from './staffing/index'
export * from './sync/index'
