export {
  ChatSession,
  type ChatSessionOptions,
  type SessionChange,
  type SessionIdentity,
  type SessionStatus,
} from './ChatSession'
