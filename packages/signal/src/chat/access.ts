import { type Conversation, KefuError } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'

/**
 * True when the session may read the conversation: its customer, its assigned agent, or staff of
 * the team it is in (agents and supervisors alike: a supervisor of another team sees nothing).
 */
export function canView(session: Session, conversation: Conversation): boolean {
  switch (session.role) {
    case 'customer':
      return conversation.customerId === session.userId
    case 'agent':
      return conversation.agentId === session.userId || session.teams.includes(conversation.teamId)
    case 'supervisor':
      return session.teams.includes(conversation.teamId)
    default:
      return false
  }
}

/**
 * True when the session may write into the conversation (messages, transfer, resolve): its
 * customer or its assigned agent. Supervisors follow and listen in, read-only: one who wants to
 * answer takes the conversation as an agent of the team (not built yet: no take-over action).
 */
export function canWrite(session: Session, conversation: Conversation): boolean {
  if (session.role === 'customer') return conversation.customerId === session.userId
  return session.role === 'agent' && conversation.agentId === session.userId
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
