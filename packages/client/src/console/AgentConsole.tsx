import { asConversationId, type ConversationId } from '@kefu/shared'
import { lazy, Suspense, useEffect, useState } from 'react'
import { canShowHall } from '../hall/webgl'
import { api } from '../net/api'
import { type LiveSession, useChatSession, useSessionState } from '../state/useChatSession'
import { useStoredLogin } from '../state/useStoredLogin'
import { NoticeBanner } from '../ui/NoticeBanner'
import { StatusPill } from '../ui/StatusPill'
import { AgentConversationPane } from './AgentConversationPane'
import { ConversationSidebar, sidebarOrder } from './ConversationSidebar'
import { LoginForm } from './LoginForm'
import { onShortcut, SHORTCUTS } from './shortcuts'
import { useAssignmentAlerts } from './useAssignmentAlerts'

const HallView = lazy(() => import('../hall/HallView'))
const Dashboard = lazy(() =>
  import('../dashboard/Dashboard').then((module) => ({ default: module.Dashboard })),
)

const StaffingPage = lazy(() =>
  import('../staffing/StaffingPage').then((module) => ({ default: module.StaffingPage })),
)
const KnowledgePage = lazy(() =>
  import('../knowledge/KnowledgePage').then((module) => ({ default: module.KnowledgePage })),
)

/** What a supervisor looks at: the conversations, the figures, the staffing plan or the knowledge base. */
export type ConsoleView = 'conversations' | 'dashboard' | 'staffing' | 'knowledge'
const VIEW_NAMES: Record<ConsoleView, string> = {
  conversations: 'Conversations',
  dashboard: 'Dashboard',
  staffing: 'Staffing',
  knowledge: 'Knowledge',
}

/** The agent's workspace: their conversations and team queue on the left, the selected chat on the right. */
export function AgentConsole({ initialView = 'conversations' }: { initialView?: ConsoleView }) {
  const { agent, setAgent } = useStoredLogin()
  const live = useChatSession(agent?.token, agent?.userId)
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([])
  const token = agent?.token
  useEffect(() => {
    if (!token) return
    api.teams(token).then(
      (result) => setTeams(result.teams),
      () => setTeams([]),
    )
  }, [token])

  if (!agent) return <LoginForm onLogin={setAgent} />
  if (!live) return <div className="panel">Starting…</div>
  return (
    <Workspace
      live={live}
      displayName={agent.displayName}
      token={agent.token}
      teams={teams}
      initialView={initialView}
      onSignOut={() => setAgent(undefined)}
    />
  )
}

interface WorkspaceProps {
  live: LiveSession
  displayName: string
  token: string
  teams: readonly { id: string; name: string }[]
  initialView: ConsoleView
  onSignOut(): void
}

// Renders again only when the connection or who is signed in changes; the sidebar and the pane
// follow their own parts of the session.
function Workspace({ live, displayName, token, teams, initialView, onSignOut }: WorkspaceProps) {
  const { session } = live
  const status = useSessionState(live, (state) => state.status)
  // Staff whose session ended (expired, or the account was deactivated) sign in again.
  useEffect(() => {
    if (status === 'signed_out') onSignOut()
  }, [status, onSignOut])
  const role = useSessionState(live, (state) => state.identity?.role)
  const notice = useSessionState(live, (state) => state.notice)
  const [selected, setSelected] = useState<ConversationId>()
  const [available, setAvailable] = useState(true)
  const isSupervisor = role === 'supervisor'
  const [inHall, setInHall] = useState(false)
  const [view, setView] = useState<ConsoleView>(initialView)
  const [showsShortcuts, setShowsShortcuts] = useState(false)
  useAssignmentAlerts(session)
  useEffect(
    () =>
      onShortcut({
        'Alt+arrowdown': () => setSelected((current) => neighbour(live, current, 1)),
        'Alt+arrowup': () => setSelected((current) => neighbour(live, current, -1)),
        '?': () => setShowsShortcuts((shown) => !shown),
        escape: () => setShowsShortcuts(false),
      }),
    [live],
  )
  const page = isSupervisor && !inHall ? view : 'conversations'
  const toggleAvailability = () => {
    const next = !available
    if (session.sendFrame({ t: 'agent.status', status: next ? 'available' : 'away' })) setAvailable(next)
  }

  const sidebar = (
    <ConversationSidebar
      live={live}
      selected={selected}
      onSelect={(id) => setSelected(asConversationId(id))}
    />
  )
  const pane = selected && (
    <AgentConversationPane
      live={live}
      token={token}
      conversationId={selected}
      teams={teams}
      isInHall={inHall}
      onOpen={(id) => setSelected(asConversationId(id))}
    />
  )
  return (
    <div className="console">
      <header>
        <div>
          <h1>{isSupervisor ? 'Supervisor console' : 'Agent console'}</h1>
          <div className="subtitle">{displayName}</div>
        </div>
        {isSupervisor && (
          <div className="segmented" role="tablist" aria-label="View">
            {(Object.keys(VIEW_NAMES) as ConsoleView[]).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={view === name}
                className={view === name ? 'selected' : ''}
                onClick={() => {
                  setView(name)
                  setInHall(false)
                }}
              >
                {VIEW_NAMES[name]}
              </button>
            ))}
          </div>
        )}
        <div className="actions">
          <StatusPill status={status} />
          {!isSupervisor && (
            <button type="button" onClick={toggleAvailability} className={available ? 'available' : 'away'}>
              {available ? 'Available' : 'Away'}
            </button>
          )}
          {session.features.voice && canShowHall() && (
            // A supervisor walks the hall (their avatar in supervisor orange); an agent staffs their desk.
            <button type="button" onClick={() => setInHall(!inHall)}>
              {isSupervisor
                ? inHall
                  ? 'Leave the hall'
                  : 'Walk the hall'
                : inHall
                  ? 'Leave my desk'
                  : 'Staff my desk'}
            </button>
          )}
          <button type="button" className="quiet" onClick={() => setShowsShortcuts(!showsShortcuts)}>
            Shortcuts
          </button>
          <button type="button" className="quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <NoticeBanner notice={notice} locale="en" />
      {showsShortcuts && <ShortcutSheet onClose={() => setShowsShortcuts(false)} />}
      {page === 'dashboard' ? (
        <Suspense fallback={<div className="panel">Loading the dashboard…</div>}>
          <Dashboard live={live} token={token} />
        </Suspense>
      ) : page === 'knowledge' ? (
        <Suspense fallback={<div className="panel">Loading the knowledge base…</div>}>
          <KnowledgePage token={token} />
        </Suspense>
      ) : page === 'staffing' ? (
        <Suspense fallback={<div className="panel">Loading staffing…</div>}>
          <StaffingPage
            token={token}
            teams={teams.filter((team) => live.session.identity?.teams?.some((mine) => mine === team.id))}
          />
        </Suspense>
      ) : inHall ? (
        <Suspense fallback={<div className="panel">Entering the hall…</div>}>
          <HallView
            live={live}
            token={token}
            conversationId={selected}
            chat={selected ? pane : sidebar}
            onLeave={() => setInHall(false)}
          />
        </Suspense>
      ) : (
        <div className="workspace">
          {sidebar}
          {selected ? (
            pane
          ) : (
            <div className="panel">
              {isSupervisor
                ? 'Pick a conversation to follow it live.'
                : 'Pick a conversation. New ones are assigned to you automatically.'}
            </div>
          )}
        </div>
      )}
    </div>
  )
}

/** The conversation `step` places after (or before) the current one in the sidebar's order. */
function neighbour(
  live: LiveSession,
  current: ConversationId | undefined,
  step: 1 | -1,
): ConversationId | undefined {
  const order = sidebarOrder(live.session).map((conversation) => conversation.id)
  if (order.length === 0) return current
  const at = current ? order.indexOf(current) : -1
  return order[(at + step + order.length) % order.length]
}

function ShortcutSheet({ onClose }: { onClose(): void }) {
  return (
    <div
      className="shortcut-sheet"
      role="dialog"
      aria-label="Keyboard shortcuts"
      data-testid="shortcut-sheet"
    >
      <h3>Keyboard shortcuts</h3>
      <dl>
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.keys}>
            <dt>
              <kbd>{shortcut.keys}</kbd>
            </dt>
            <dd>{shortcut.does}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  )
}
