export { ConversationLog, type LocalMessage, type MergeOutcome, type PendingMessage } from './ConversationLog'
