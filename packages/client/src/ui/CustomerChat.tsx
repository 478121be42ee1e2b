import type { Conversation } from '@kefu/shared'
import { lazy, Suspense, useEffect, useState } from 'react'
import { VoiceBar } from '../call/VoiceBar'
import { conversationView, currentConversation } from '../core/conversationView'
import { isWithAssistant, openQuickReplies } from '../core/quickReplies'
import { ratingState } from '../core/rating'
import { canShowHall } from '../hall/webgl'
import { api } from '../net/api'
import { t, webLocale } from '../platform/web/webLocale'
import { loadOlder } from '../state/loadOlder'
import { type LiveSession, useChatSession, useSessionState } from '../state/useChatSession'
import { useStoredLogin } from '../state/useStoredLogin'
import { isEmbedded, useEmbedding } from '../widget/useEmbedding'
import { Composer } from './Composer'
import { MessageList } from './MessageList'
import { NoticeBanner } from './NoticeBanner'
import { RatingPrompt } from './RatingPrompt'
import { StatusPill } from './StatusPill'

/** The customer's chat: a guest session by default, routed to an agent as soon as it opens. */
export function CustomerChat() {
  const { customer, setCustomer } = useStoredLogin()
  const [error, setError] = useState<string>()
  const live = useChatSession(customer?.token, customer?.userId)
  const embedding = useEmbedding(setCustomer)

  const { isSettled, keepSession } = embedding
  useEffect(() => {
    if (customer) {
      keepSession(customer)
      return
    }
    if (!isSettled) return
    api.guestSession().then(setCustomer, (failure: Error) => setError(failure.message))
  }, [customer, setCustomer, isSettled, keepSession])

  if (error) return <div className="panel error">{t('chat.cannotStart', { reason: error })}</div>
  if (!live) return <div className="panel">{t('chat.starting')}</div>
  return (
    <CustomerPane
      live={live}
      token={customer?.token ?? ''}
      embedding={embedding}
      onSignOut={() => setCustomer(undefined)}
    />
  )
}

// The hall is its own chunk: the chat page never downloads three.js unless the customer steps in.
const HallView = lazy(() => import('../hall/HallView'))

interface PaneProps {
  live: LiveSession
  token: string
  embedding: ReturnType<typeof useEmbedding>
  onSignOut(): void
}

function CustomerPane({ live, token, embedding, onSignOut }: PaneProps) {
  const { session } = live
  // The customer's page shows one conversation: it follows the lists (a new conversation) and its own changes.
  useSessionState(live, (state) => state.listRevision)
  const conversation = currentConversation(session)
  useSessionState(live, (state) => (conversation ? (state.revisions[conversation.id] ?? 0) : 0))
  const status = useSessionState(live, (state) => state.status)
  const notice = useSessionState(live, (state) => state.notice)
  const isOnline = status === 'online'
  // An ended session (expired) is replaced by a new one, as on a first visit.
  useEffect(() => {
    if (status === 'signed_out') onSignOut()
  }, [status, onSignOut])
  useEffect(() => {
    if (isOnline && !conversation) session.openConversation()
  }, [isOnline, conversation, session])

  const view = conversation && conversationView(session, conversation.id)
  const lastSeq = view?.messages.at(-1)?.seq
  const { isPanelOpen, reportUnread } = embedding
  const unreadCount = view?.unreadCount ?? 0
  useEffect(() => {
    // Read means seen: only while the chat is on screen (in the widget, while its panel is open).
    if (conversation && lastSeq && isPanelOpen && document.visibilityState === 'visible')
      session.markRead(conversation.id)
  }, [conversation, lastSeq, session, isPanelOpen])
  useEffect(() => reportUnread(unreadCount), [unreadCount, reportUnread])
  const [hall, setHall] = useState<'closed' | 'open' | 'unsupported'>('closed')

  const pane = (
    <div className={`chat customer ${hall === 'open' ? 'docked' : ''}`}>
      <header>
        <div>
          <h1>{t('chat.title')}</h1>
          <div className="subtitle">
            {headline(
              conversation,
              view?.waiting?.position,
              view?.agentName,
              isWithAssistant(view?.messages ?? []),
            )}
          </div>
        </div>
        <div className="actions">
          <StatusPill status={session.status} />
          {conversation?.state === 'resolved' || conversation?.state === 'abandoned' ? (
            <button
              type="button"
              onClick={() => session.sendFrame({ t: 'conversation.reopen', conversationId: conversation.id })}
            >
              {t('chat.reopen')}
            </button>
          ) : (
            conversation && (
              <button
                type="button"
                onClick={() =>
                  session.sendFrame({ t: 'conversation.resolve', conversationId: conversation.id })
                }
              >
                {t('chat.end')}
              </button>
            )
          )}
          {hall === 'closed' && conversation && session.features.voice && (
            <button
              type="button"
              className="hall-enter"
              onClick={() => setHall(canShowHall() ? 'open' : 'unsupported')}
            >
              {t('hall.enter')}
            </button>
          )}
          {!isEmbedded() && hall !== 'open' && (
            <button type="button" className="quiet" onClick={onSignOut}>
              {t('chat.newGuest')}
            </button>
          )}
        </div>
      </header>
      <NoticeBanner notice={notice} locale={webLocale} />
      {hall === 'unsupported' && (
        <div className="window-note" data-testid="hall-unsupported">
          {t('hall.noWebgl')}
        </div>
      )}
      {view && conversation ? (
        <>
          {/* In the hall, voice is spatial and has its own button there. */}
          {hall !== 'open' && (
            <VoiceBar session={session} token={token} conversation={conversation} side="customer" />
          )}
          <MessageList
            messages={view.messages}
            isOnMySide={(message) => message.authorId === session.identity?.userId}
            readUpTo={view.readUpTo}
            typingLabel={view.isSomeoneTyping ? t('who.agent') : undefined}
            onLoadOlder={view.hasOlder ? () => void loadOlder(session, token, conversation.id) : undefined}
            onRetry={(cid) => session.retry(conversation.id, cid)}
            onDiscard={(cid) => session.discard(conversation.id, cid)}
          />
          {ratingState(conversation, view.messages).ask && (
            <RatingPrompt
              conversationId={conversation.id}
              onRate={(rating) => session.sendFrame({ t: 'conversation.rate', ...rating })}
            />
          )}
          <div className="quick-replies" data-testid="quick-replies">
            {openQuickReplies(view.messages).map((reply) => (
              <button
                key={reply}
                type="button"
                className="quick-reply"
                onClick={() => session.send(conversation.id, reply)}
              >
                {reply}
              </button>
            ))}
          </div>
          <Composer
            placeholder={t('chat.placeholder')}
            onSend={(text) => session.send(conversation.id, text)}
            onTyping={(isTyping) => session.setTyping(conversation.id, isTyping)}
          />
        </>
      ) : (
        <div className="panel">
          {t(session.status === 'outdated' ? 'status.outdated' : 'headline.routing')}
        </div>
      )}
    </div>
  )
  if (hall !== 'open') return pane
  return (
    <Suspense fallback={<div className="panel">{t('hall.loading')}</div>}>
      <HallView
        live={live}
        token={token}
        conversationId={conversation?.id}
        chat={pane}
        onLeave={() => setHall('closed')}
      />
    </Suspense>
  )
}

function headline(
  conversation: Conversation | undefined,
  position: number | undefined,
  agentName: string | undefined,
  withAssistant: boolean,
) {
  if (!conversation) return t('headline.connecting')
  if (withAssistant && conversation.state === 'queued') return t('headline.assistant')
  if (conversation.state === 'queued' || conversation.state === 'reopened') {
    return position ? t('headline.position', { position, ahead: position - 1 }) : t('headline.finding')
  }
  if (conversation.state === 'resolved' || conversation.state === 'abandoned') return t('headline.ended')
  return agentName ? t('headline.chatting', { agent: agentName }) : t('headline.chattingUnnamed')
}
