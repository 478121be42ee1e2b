import { ChatSession } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'
import { createSessionStore, type SessionState } from '../core/sessionStore'
import { createWebStorage, deviceId } from '../platform/web/webStorage'
import { openWebTransport, socketUrl } from '../platform/web/webTransport'

const webIds = { newId: () => crypto.randomUUID().replaceAll('-', '').slice(0, 16) }
const webClock = {
  now: () => Date.now(),
  setTimeout: (callback: () => void, delayMs: number) => {
    const timer = window.setTimeout(callback, delayMs)
    return () => window.clearTimeout(timer)
  },
}

/** A running session and the store views select from. */
export interface LiveSession {
  session: ChatSession
  store: ReturnType<typeof createSessionStore>
}

/**
 * A live ChatSession for a token. It does not re-render its caller on changes: components select
 * what they show with `useSessionState`.
 */
export function useChatSession(
  token: string | undefined,
  userId: string | undefined,
): LiveSession | undefined {
  const [live, setLive] = useState<LiveSession>()
  useEffect(() => {
    if (!token || !userId) return
    const session = new ChatSession({
      openTransport: () => openWebTransport(socketUrl(token)),
      clock: webClock,
      ids: webIds,
      store: createWebStorage(`kefu:${userId}`),
      deviceId: deviceId(),
    })
    const store = createSessionStore(session)
    setLive({ session, store })
    void session.start()
    return () => {
      store.stop()
      session.stop()
    }
  }, [token, userId])
  return live
}

/** Re-renders the component when the selected value of the session's state changes. */
export function useSessionState<T>(live: LiveSession, select: (state: SessionState) => T): T {
  return useStore(live.store, select)
}
