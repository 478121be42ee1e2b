export {
  ConversationLog,
  type LocalMessage,
  type MergeOutcome,
  type PendingMessage,
  type SendFailure,
} from './ConversationLog'
