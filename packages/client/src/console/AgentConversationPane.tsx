import { type ConversationId, RESOLUTION_CODES, type ResolutionCode } from '@kefu/shared'
import { useEffect, useRef, useState } from 'react'
import { VoiceBar } from '../call/VoiceBar'
import { conversationView } from '../core/conversationView'
import { isolated } from '../core/i18n'
import { loadOlder } from '../state/loadOlder'
import { type LiveSession, useSessionState } from '../state/useChatSession'
import { Composer } from '../ui/Composer'
import { MessageList } from '../ui/MessageList'
import { BotSource } from './BotSource'
import { CustomerCardPanel } from './CustomerCardPanel'
import { CustomerMood, EmotionTag } from './CustomerMood'
import { describeReplyWindow } from './replyWindow'
import { onShortcut } from './shortcuts'
import { useCannedReplies } from './useCannedReplies'
import { useConversationDetail } from './useConversationDetail'
import { lastCustomerQuestion, useSuggestions } from './useSuggestions'

/** How the console names each resolution code. */
export const RESOLUTION_LABELS: Record<ResolutionCode, string> = {
  answered: 'Answered',
  order_fixed: 'Order fixed',
  refunded: 'Refunded',
  escalated: 'Escalated',
  duplicate: 'Duplicate',
  no_reply: 'No reply',
  other: 'Other',
}

/** One conversation as the agent works it: reply, transfer, resolve. */
interface PaneProps {
  live: LiveSession
  token: string
  conversationId: ConversationId
  teams: readonly { id: string; name: string }[]
  /** Docked beside the 3D hall, where the call is spatial and has its own button. */
  isInHall?: boolean
  /** Opens another conversation (one of the customer's earlier ones). */
  onOpen?(conversationId: string): void
}

export function AgentConversationPane({
  live,
  token,
  conversationId,
  teams,
  isInHall = false,
  onOpen = () => undefined,
}: PaneProps) {
  const { session } = live
  useSessionState(live, (state) => state.revisions[conversationId] ?? 0)
  const view = conversationView(session, conversationId)
  const [transferTo, setTransferTo] = useState('')
  const [note, setNote] = useState('')
  const [code, setCode] = useState<ResolutionCode>('answered')
  const transferField = useRef<HTMLSelectElement>(null)
  const messageBox = useRef<HTMLTextAreaElement>(null)
  const cannedReplies = useCannedReplies(token)
  const lastSeq = view.messages.at(-1)?.seq
  const conversation = view.conversation
  const isMine = conversation?.agentId === session.identity?.userId
  const canWork = isMine && (conversation?.state === 'assigned' || conversation?.state === 'active')
  const detail = useConversationDetail(token, conversation, lastSeq)
  const suggestions = useSuggestions(canWork ? token : undefined, lastCustomerQuestion(view.messages))
  const replyWindow = detail?.replyWindow
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

  const transfer = () => {
    if (!transferTo) return
    session.sendFrame({
      t: 'conversation.transfer',
      conversationId,
      toTeamId: transferTo,
      ...(note.trim() ? { note: note.trim() } : {}),
    })
    setNote('')
    setTransferTo('')
  }
  const resolve = () => session.sendFrame({ t: 'conversation.resolve', conversationId, code })
  const shortcuts = useRef({ resolve, canWork })
  shortcuts.current = { resolve, canWork }
  useEffect(
    () =>
      onShortcut({
        'Alt+t': () => shortcuts.current.canWork && transferField.current?.focus(),
        'Alt+r': () => shortcuts.current.canWork && shortcuts.current.resolve(),
        'Alt+m': () => messageBox.current?.focus(),
      }),
    [],
  )

  if (!conversation) return <div className="panel">Loading…</div>
  const chat = (
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
              ref={transferField}
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
            {transferTo && (
              <input
                aria-label="Handover note"
                placeholder="Note for the next agent"
                maxLength={500}
                value={note}
                onChange={(event) => setNote(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') transfer()
                }}
              />
            )}
            <button type="button" disabled={!transferTo} onClick={transfer}>
              Transfer
            </button>
            <select
              aria-label="Resolution code"
              value={code}
              onChange={(event) => setCode(event.target.value as ResolutionCode)}
            >
              {RESOLUTION_CODES.map((resolution) => (
                <option key={resolution} value={resolution}>
                  {RESOLUTION_LABELS[resolution]}
                </option>
              ))}
            </select>
            <button type="button" onClick={resolve}>
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
      <CustomerMood messages={view.messages} />
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
        annotate={(message) => (
          <>
            <EmotionTag message={message} />
            <BotSource message={message} messages={view.messages} />
          </>
        )}
      />
      <Composer
        ref={messageBox}
        completions={cannedReplies}
        suggestions={suggestions}
        disabled={!canWork || windowClosed}
        placeholder={placeholder}
        onSend={(text) => session.send(conversationId, text)}
        onTyping={(isTyping) => session.setTyping(conversationId, isTyping)}
      />
    </section>
  )
  // Docked beside the hall there is no room for the card.
  if (isInHall) return chat
  return (
    <div className="pane-with-card">
      {chat}
      <CustomerCardPanel card={detail?.customer} notes={detail?.notes ?? []} onOpen={onOpen} />
    </div>
  )
}
