import type { ConversationId } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { VoiceBar } from '../call/VoiceBar'
import { conversationView } from '../core/conversationView'
import { isolated } from '../core/i18n'
import { loadOlder } from '../state/loadOlder'
import { type LiveSession, useSessionState } from '../state/useChatSession'
import { Composer } from '../ui/Composer'
import { MessageList } from '../ui/MessageList'
import { describeReplyWindow, useReplyWindow } from './useReplyWindow'

/** One conversation as the agent works it: reply, transfer, resolve. */
interface PaneProps {
  live: LiveSession
  token: string
  conversationId: ConversationId
  teams: readonly { id: string; name: string }[]
  /** Docked beside the 3D hall, where the call is spatial and has its own button. */
  isInHall?: boolean
}

export function AgentConversationPane({ live, token, conversationId, teams, isInHall = false }: PaneProps) {
  const { session } = live
  useSessionState(live, (state) => state.revisions[conversationId] ?? 0)
  const view = conversationView(session, conversationId)
  const [transferTo, setTransferTo] = useState('')
  const lastSeq = view.messages.at(-1)?.seq
  const conversation = view.conversation
  const isMine = conversation?.agentId === session.identity?.userId
  const canWork = isMine && (conversation?.state === 'assigned' || conversation?.state === 'active')
  const replyWindow = useReplyWindow(token, conversation, lastSeq)
  const windowClosed = replyWindow?.remaining === 0
  const isSupervisor = session.identity?.role === 'supervisor'
  const placeholder = !canWork
    ? isSupervisor
      ? 'Following live: only the assigned agent replies'
      : 'Only the assigned agent can reply'
    : replyWindow
      ? describeReplyWindow(replyWindow)
      : 'Reply…'

  useEffect(() => {
    if (lastSeq && isMine) session.markRead(conversationId)
  }, [lastSeq, isMine, session, conversationId])

  if (!conversation) return <div className="panel">Loading…</div>
  return (
    <section className="pane">
      <div className="pane-header">
        <div>
          <strong>{isolated(conversation.customerName)}</strong> · {conversation.channel} ·{' '}
          {conversation.teamId} · {conversation.state}
          {isSupervisor && view.agentName && ` · with ${isolated(view.agentName)}`}
        </div>
        {canWork && (
          <div className="actions">
            <select
              aria-label="Transfer to team"
              value={transferTo}
              onChange={(event) => setTransferTo(event.target.value)}
            >
              <option value="">Transfer to…</option>
              {teams
                .filter((team) => team.id !== conversation.teamId)
                .map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
            </select>
            <button
              type="button"
              disabled={!transferTo}
              onClick={() =>
                session.sendFrame({ t: 'conversation.transfer', conversationId, toTeamId: transferTo })
              }
            >
              Transfer
            </button>
            <button
              type="button"
              onClick={() => session.sendFrame({ t: 'conversation.resolve', conversationId })}
            >
              Resolve
            </button>
          </div>
        )}
      </div>
      {canWork && !isInHall && (
        <VoiceBar session={session} token={token} conversation={conversation} side="agent" />
      )}
      {isSupervisor && (
        <VoiceBar session={session} token={token} conversation={conversation} side="supervisor" />
      )}
      {replyWindow && (
        <div className={`window-note ${windowClosed ? 'closed' : ''}`} data-testid="reply-window">
          {describeReplyWindow(replyWindow)}
        </div>
      )}
      <MessageList
        messages={view.messages}
        // Staff on the right, the customer on the left: a supervisor, or an agent after a transfer,
        // reads who said what at a glance.
        isOnMySide={(message) => message.authorRole !== 'customer'}
        readUpTo={view.readUpTo}
        typingLabel={view.isSomeoneTyping ? isolated(conversation.customerName) : undefined}
        onLoadOlder={view.hasOlder ? () => void loadOlder(session, token, conversationId) : undefined}
        onRetry={(cid) => session.retry(conversationId, cid)}
        onDiscard={(cid) => session.discard(conversationId, cid)}
      />
      <Composer
        disabled={!canWork || windowClosed}
        placeholder={placeholder}
        onSend={(text) => session.send(conversationId, text)}
        onTyping={(isTyping) => session.setTyping(conversationId, isTyping)}
      />
    </section>
  )
}
