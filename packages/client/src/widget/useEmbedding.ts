import { useCallback, useEffect, useState } from 'react'
import type { IssuedSession } from '../net/api'
import { api } from '../net/api'
import { type ChatToHost, isHostToChat } from './widgetMessages'

/** True when the chat runs inside the widget's frame on someone else's page. */
export const isEmbedded = (): boolean =>
  new URLSearchParams(location.search).has('embed') && window.parent !== window

/** The origin of the page that frames the chat, as the browser reports it (never what the page says). */
function parentOrigin(): string | undefined {
  const ancestors = location.ancestorOrigins
  if (ancestors && ancestors.length > 0) return ancestors[0]
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined
  } catch {
    return undefined
  }
}

/**
 * The origin the chat may talk to: its parent page, if the integrator allowed it (EMBED_ORIGINS).
 * Anything else gets nothing from this frame, the customer's session least of all.
 */
async function allowedHost(): Promise<string | undefined> {
  const origin = parentOrigin()
  if (!origin || origin === 'null') return undefined
  const { origins } = await api.embedding()
  return origins === '*' || origins.includes(origin) ? origin : undefined
}

/**
 * The chat's side of the widget: takes a signed profile from the host page, and tells it how many
 * messages wait unread while the panel is closed and which session to keep. It talks only to a
 * parent page on an allowed origin; a profile counts only with the integrator's signature.
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
  const [host, setHost] = useState<string>()
  useEffect(() => {
    if (!isEmbedded()) return
    let listener: ((event: MessageEvent) => void) | undefined
    let current = true
    allowedHost().then(
      (origin) => {
        if (!current) return
        if (!origin) {
          // Not an allowed page: the chat works in its frame, as a guest, and tells the page nothing.
          setPanelOpen(true)
          setSettled(true)
          return
        }
        setHost(origin)
        listener = (event: MessageEvent) => {
          if (event.source !== window.parent || event.origin !== origin || !isHostToChat(event.data)) return
          const message = event.data
          if (message.type === 'kefu:restore') {
            if (message.session) onSession(message.session)
            setSettled(true)
          } else if (message.type === 'kefu:panel') setPanelOpen(message.isOpen)
          // A refused profile (bad signature, expired) leaves the customer chatting as a guest.
          else api.signedSession(message.profile, message.signature).then(onSession, () => undefined)
        }
        window.addEventListener('message', listener)
        tellHost(origin, { type: 'kefu:ready' })
      },
      () => current && setSettled(true),
    )
    return () => {
      current = false
      if (listener) window.removeEventListener('message', listener)
    }
  }, [onSession])
  const reportUnread = useCallback(
    (count: number) => {
      if (host) tellHost(host, { type: 'kefu:unread', count })
    },
    [host],
  )
  const keepSession = useCallback(
    (session: IssuedSession) => {
      const { token, userId, displayName } = session
      if (host) tellHost(host, { type: 'kefu:session', session: { token, userId, displayName } })
    },
    [host],
  )
  return { isPanelOpen, isSettled, reportUnread, keepSession }
}

function tellHost(origin: string, message: ChatToHost): void {
  window.parent.postMessage(message, origin)
}
