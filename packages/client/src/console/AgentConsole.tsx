import { asConversationId, type ConversationId } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { api } from '../net/api'
import { useChatSession } from '../state/useChatSession'
import { useStoredLogin } from '../state/useStoredLogin'
import { StatusPill } from '../ui/StatusPill'
import { AgentConversationPane } from './AgentConversationPane'
import { ConversationSidebar } from './ConversationSidebar'
import { LoginForm } from './LoginForm'

/** The agent's workspace: their conversations and team queue on the left, the selected chat on the right. */
export function AgentConsole() {
  const { agent, setAgent } = useStoredLogin()
  const session = useChatSession(agent?.token, agent?.userId)
  const [selected, setSelected] = useState<ConversationId>()
  const [available, setAvailable] = useState(true)
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
  if (!session) return <div className="panel">Starting…</div>

  const isSupervisor = session.identity?.role === 'supervisor'
  const toggleAvailability = () => {
    const next = !available
    if (session.sendFrame({ t: 'agent.status', status: next ? 'available' : 'away' })) setAvailable(next)
  }

  return (
    <div className="console">
      <header>
        <div>
          <h1>{isSupervisor ? 'Supervisor console' : 'Agent console'}</h1>
          <div className="subtitle">{agent.displayName}</div>
        </div>
        <div className="actions">
          <StatusPill status={session.status} />
          {!isSupervisor && (
            <button type="button" onClick={toggleAvailability} className={available ? 'available' : 'away'}>
              {available ? 'Available' : 'Away'}
            </button>
          )}
          <button type="button" className="quiet" onClick={() => setAgent(undefined)}>
            Sign out
          </button>
        </div>
      </header>
      <div className="workspace">
        <ConversationSidebar
          session={session}
          selected={selected}
          onSelect={(id) => setSelected(asConversationId(id))}
        />
        {selected ? (
          <AgentConversationPane
            session={session}
            token={agent.token}
            conversationId={selected}
            teams={teams}
          />
        ) : (
          <div className="panel">
            {isSupervisor
              ? 'Pick a conversation to follow it live.'
              : 'Pick a conversation. New ones are assigned to you automatically.'}
          </div>
        )}
      </div>
    </div>
  )
}
