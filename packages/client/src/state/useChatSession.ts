import { ChatSession } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'
import { createSessionStore, type SessionState } from '../core/sessionStore'
import { webPlatform } from '../platform/web/webPlatform'
import { deviceId } from '../platform/web/webStorage'
import { socketUrl } from '../platform/web/webTransport'

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
    const platform = webPlatform(`kefu:${userId}`)
    const session = new ChatSession({
      openTransport: () => platform.connectSocket(socketUrl(token)),
      clock: platform.clock,
      ids: platform.ids,
      store: platform.storage,
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
