export { ChatSession, type ChatSessionOptions, type SessionIdentity, type SessionStatus } from './ChatSession'
