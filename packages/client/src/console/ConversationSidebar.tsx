import type { ChatSession, Conversation } from '@kefu/shared'
import { conversationView } from '../core/conversationView'
import { isolated } from '../core/i18n'
import { type LiveSession, useSessionState } from '../state/useChatSession'

interface SidebarProps {
  live: LiveSession
  selected: string | undefined
  onSelect(conversationId: string): void
}

const waitedFor = (since: number) => {
  const minutes = Math.floor((Date.now() - since) / 60_000)
  return minutes < 1 ? 'just now' : `${minutes} min`
}

const workedBy = (session: ChatSession, conversation: Conversation) =>
  conversationView(session, conversation.id).agentName

const isBeingWorked = (conversation: Conversation) =>
  conversation.state === 'assigned' || conversation.state === 'active'

/**
 * An agent's open conversations first, then what waits in their teams' queues. A supervisor's
 * first list is every conversation being worked in their teams.
 */
export function ConversationSidebar({ live, selected, onSelect }: SidebarProps) {
  const { session } = live
  // Typing in a conversation does not change the lists: they render again only for what they show.
  useSessionState(live, (state) => state.listRevision)
  const me = session.identity?.userId
  const isSupervisor = session.identity?.role === 'supervisor'
  const teams = session.identity?.teams ?? []
  // A conversation transferred to another team is still known here, but is no longer ours to list.
  const inMyTeams = (c: Conversation) => teams.length === 0 || teams.includes(c.teamId)
  const all = [...session.conversations.values()]
  const worked = all.filter((c) => isBeingWorked(c) && (isSupervisor ? inMyTeams(c) : c.agentId === me))
  const queued = all.filter((c) => c.state === 'queued' && inMyTeams(c))
  const row = (conversation: Conversation) => {
    const unread =
      session.log(conversation.id).cursor -
      (session.readMarks.get(conversation.id)?.get(me ?? ('' as never)) ?? 0)
    return (
      <li key={conversation.id}>
        <button
          type="button"
          className={conversation.id === selected ? 'selected' : ''}
          onClick={() => onSelect(conversation.id)}
          data-testid="conversation-row"
        >
          <span className="name">{isolated(conversation.customerName)}</span>
          <span className="team">{conversation.teamId}</span>
          <span className="since">
            {isSupervisor && conversation.agentId && `${workedBy(session, conversation) ?? 'An agent'} · `}
            {waitedFor(conversation.queuedAt ?? conversation.createdAt)}
          </span>
          {unread > 0 && conversation.agentId === me && <span className="badge">{unread}</span>}
        </button>
      </li>
    )
  }
  return (
    <nav className="sidebar">
      <h2>
        {isSupervisor ? 'Being worked' : 'Mine'} ({worked.length})
      </h2>
      <ul>{worked.map(row)}</ul>
      <h2>Team queue ({queued.length})</h2>
      <ul>{queued.map(row)}</ul>
    </nav>
  )
}
