import type { ChatSession, Conversation } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { conversationView } from '../core/conversationView'
import { isolated } from '../core/i18n'
import { type LiveSession, useSessionState } from '../state/useChatSession'

interface SidebarProps {
  live: LiveSession
  selected: string | undefined
  onSelect(conversationId: string): void
}

const WAIT_TICK_MS = 5000

const waitedFor = (since: number) => {
  const seconds = Math.max(0, Math.floor((Date.now() - since) / 1000))
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`
}

const workedBy = (session: ChatSession, conversation: Conversation) =>
  conversationView(session, conversation.id).agentName

const isBeingWorked = (conversation: Conversation) =>
  conversation.state === 'assigned' || conversation.state === 'active'

/** The sidebar's two lists: what is being worked (by me, or in my teams for a supervisor), then the queue. */
function sidebarLists(session: ChatSession): { worked: Conversation[]; queued: Conversation[] } {
  const me = session.identity?.userId
  const isSupervisor = session.identity?.role === 'supervisor'
  const teams = session.identity?.teams ?? []
  // A conversation transferred to another team is still known here, but is no longer ours to list.
  const inMyTeams = (c: Conversation) => teams.length === 0 || teams.includes(c.teamId)
  const all = [...session.conversations.values()]
  return {
    worked: all.filter((c) => isBeingWorked(c) && (isSupervisor ? inMyTeams(c) : c.agentId === me)),
    queued: all.filter((c) => c.state === 'queued' && inMyTeams(c)),
  }
}

/** Every conversation in the order the sidebar lists them (keyboard navigation follows it). */
export function sidebarOrder(session: ChatSession): Conversation[] {
  const { worked, queued } = sidebarLists(session)
  return [...worked, ...queued]
}

/** The last thing a person said, for the list: a line of text, or what kind of message it was. */
function previewOf(
  session: ChatSession,
  conversation: Conversation,
): { text: string; fromCustomer: boolean; at: number } | undefined {
  const messages = conversationView(session, conversation.id).messages
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (!message || message.kind === 'event' || message.kind === 'system') continue
    const text =
      message.kind === 'image' ? '[Photo]' : message.kind === 'voice' ? '[Voice note]' : message.body
    return { text, fromCustomer: message.authorRole === 'customer', at: message.createdAt }
  }
  return undefined
}

/**
 * An agent's open conversations first, then what waits in their teams' queues. A supervisor's
 * first list is every conversation being worked in their teams. Each entry shows the last message
 * and how long the customer has waited: in the queue, or for an answer to their last message.
 */
export function ConversationSidebar({ live, selected, onSelect }: SidebarProps) {
  const { session } = live
  // Typing in a conversation does not change the lists: they render again for what they show (the
  // lists, each entry's last message) and every few seconds for the waiting times.
  useSessionState(live, (state) => state.listRevision)
  useSessionState(live, (state) =>
    Object.values(state.revisions).reduce((sum, revision) => sum + revision, 0),
  )
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = window.setInterval(() => setTick((tick) => tick + 1), WAIT_TICK_MS)
    return () => window.clearInterval(timer)
  }, [])
  const me = session.identity?.userId
  const isSupervisor = session.identity?.role === 'supervisor'
  const { worked, queued } = sidebarLists(session)
  const row = (conversation: Conversation) => {
    const preview = previewOf(session, conversation)
    // Waiting: in the queue since it was queued; in a conversation, since their unanswered message.
    const waitingSince =
      conversation.state === 'queued'
        ? (conversation.queuedAt ?? conversation.createdAt)
        : preview?.fromCustomer
          ? preview.at
          : undefined
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
            {waitingSince === undefined ? 'answered' : `waiting ${waitedFor(waitingSince)}`}
          </span>
          {preview && (
            <span className="preview" data-testid="conversation-preview">
              {preview.text}
            </span>
          )}
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
