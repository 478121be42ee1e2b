import { useCallback, useEffect, useState } from 'react'
import type { IssuedSession } from '../net/api'
import { api } from '../net/api'
import { type ChatToHost, isHostToChat } from './widgetMessages'

/** True when the chat runs inside the widget's frame on someone else's page. */
export const isEmbedded = (): boolean =>
  new URLSearchParams(location.search).has('embed') && window.parent !== window

const tellHost = (message: ChatToHost) => window.parent.postMessage(message, '*')

/**
 * The chat's side of the widget: takes a signed profile from the host page, and tells it how many
 * messages wait unread while the panel is closed. Any page may embed the widget; a profile only
 * counts with a signature from the integrator's backend, so the host page cannot forge one.
 */
export function useEmbedding(onSession: (session: IssuedSession) => void): {
  isPanelOpen: boolean
  /** False until the host page has said whether it kept a session: only then may a guest be made. */
  isSettled: boolean
  reportUnread(count: number): void
  keepSession(session: IssuedSession): void
} {
  const [isPanelOpen, setPanelOpen] = useState(!isEmbedded())
  const [isSettled, setSettled] = useState(!isEmbedded())
  useEffect(() => {
    if (!isEmbedded()) return
    const listener = (event: MessageEvent) => {
      if (event.source !== window.parent || !isHostToChat(event.data)) return
      const message = event.data
      if (message.type === 'kefu:restore') {
        if (message.session) onSession(message.session)
        setSettled(true)
      } else if (message.type === 'kefu:panel') setPanelOpen(message.isOpen)
      // A refused profile (bad signature, expired) leaves the customer chatting as a guest.
      else api.signedSession(message.profile, message.signature).then(onSession, () => undefined)
    }
    window.addEventListener('message', listener)
    tellHost({ type: 'kefu:ready' })
    return () => window.removeEventListener('message', listener)
  }, [onSession])
  const reportUnread = useCallback((count: number) => {
    if (isEmbedded()) tellHost({ type: 'kefu:unread', count })
  }, [])
  const keepSession = useCallback((session: IssuedSession) => {
    const { token, userId, displayName } = session
    if (isEmbedded()) tellHost({ type: 'kefu:session', session: { token, userId, displayName } })
  }, [])
  return { isPanelOpen, isSettled, reportUnread, keepSession }
}
