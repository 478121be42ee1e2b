import { ChatSession } from '@kefu/shared'
import { useEffect, useState, useSyncExternalStore } from 'react'
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

/** A live ChatSession for a token, re-rendering the component on every change. */
export function useChatSession(
  token: string | undefined,
  userId: string | undefined,
): ChatSession | undefined {
  const [session, setSession] = useState<ChatSession>()
  useEffect(() => {
    if (!token || !userId) return
    const created = new ChatSession({
      openTransport: () => openWebTransport(socketUrl(token)),
      clock: webClock,
      ids: webIds,
      store: createWebStorage(`kefu:${userId}`),
      deviceId: deviceId(),
    })
    setSession(created)
    void created.start()
    return () => created.stop()
  }, [token, userId])
  useSessionVersion(session)
  return session
}

// ChatSession mutates in place; a counter bumped on each change is the snapshot React compares.
function useSessionVersion(session: ChatSession | undefined): number {
  const [counter] = useState(() => ({ value: 0 }))
  return useSyncExternalStore(
    (onChange) =>
      session?.subscribe(() => {
        counter.value++
        onChange()
      }) ?? (() => {}),
    () => counter.value,
  )
}
