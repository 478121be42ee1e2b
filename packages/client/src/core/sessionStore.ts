import type { ChatSession, ConversationId, ServiceNotice, SessionIdentity, SessionStatus } from '@kefu/shared'
import { createStore, type StoreApi } from 'zustand/vanilla'

/**
 * What views subscribe to instead of the whole session: small values that change only when what
 * they stand for changed. A view selects the one it shows and reads the session's data when it
 * renders, so a typing frame in one conversation re-renders that conversation's pane and nothing else.
 */
export interface SessionState {
  status: SessionStatus
  identity: SessionIdentity | undefined
  /** The service-wide notice in force (an emergency playbook's banner). */
  notice: ServiceNotice | undefined
  /** Bumped on every change of one conversation: its messages, typing, read marks, state. */
  revisions: Readonly<Record<ConversationId, number>>
  /** Bumped when what a list of conversations shows changed (a conversation, its unread count). */
  listRevision: number
}

// Typing comes and goes several times a second; it shows only inside a conversation's pane.
const PANE_ONLY_FRAMES = new Set(['typing'])

/** A store that follows `session`; `stop()` detaches it. */
export function createSessionStore(session: ChatSession): StoreApi<SessionState> & { stop(): void } {
  const store = createStore<SessionState>(() => ({
    status: session.status,
    identity: session.identity,
    notice: session.notice,
    revisions: {},
    listRevision: 0,
  }))
  const stop = session.subscribe(({ conversationId, frame }) => {
    const state = store.getState()
    const touchesList = !(frame && PANE_ONLY_FRAMES.has(frame))
    if (conversationId === undefined) {
      // The session as a whole (a status, a welcome, a refusal): every view looks again.
      const revisions: Record<string, number> = {}
      for (const id of session.conversations.keys()) revisions[id] = (state.revisions[id] ?? 0) + 1
      store.setState({
        status: session.status,
        identity: session.identity,
        notice: session.notice,
        revisions,
        listRevision: state.listRevision + 1,
      })
      return
    }
    store.setState({
      status: session.status,
      identity: session.identity,
      revisions: { ...state.revisions, [conversationId]: (state.revisions[conversationId] ?? 0) + 1 },
      listRevision: touchesList ? state.listRevision + 1 : state.listRevision,
    })
  })
  return { ...store, stop }
}
