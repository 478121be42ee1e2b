import { type Conversation, KefuError } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'

/** True when the session may read the conversation: its customer, its team's staff, or a supervisor. */
export function canView(session: Session, conversation: Conversation): boolean {
  switch (session.role) {
    case 'customer':
      return conversation.customerId === session.userId
    case 'agent':
      return conversation.agentId === session.userId || session.teams.includes(conversation.teamId)
    case 'supervisor':
      return true
    default:
      return false
  }
}

/** True when the session may write into the conversation: its customer or its assigned agent. */
export function canWrite(session: Session, conversation: Conversation): boolean {
  if (session.role === 'customer') return conversation.customerId === session.userId
  if (session.role === 'supervisor') return true
  return conversation.agentId === session.userId
}

export function assertCanView(session: Session, conversation: Conversation): void {
  if (!canView(session, conversation)) throw KefuError.forbidden('This conversation is not yours')
}

export function assertCanWrite(session: Session, conversation: Conversation): void {
  if (!canWrite(session, conversation))
    throw KefuError.forbidden('Only the assigned agent or the customer may write here')
}

export function assertStaff(session: Session): void {
  if (session.role !== 'agent' && session.role !== 'supervisor') throw KefuError.forbidden('Staff only')
}
