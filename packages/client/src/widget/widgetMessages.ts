/** Messages between the host page's widget script and the chat inside its iframe. */
export type HostToChat =
  | { type: 'kefu:set-user'; profile: string; signature: string }
  | { type: 'kefu:panel'; isOpen: boolean }
  /** The session the host page kept from last time, or null for a first visit. */
  | { type: 'kefu:restore'; session: StoredSession | null }

export type ChatToHost =
  | { type: 'kefu:ready' }
  | { type: 'kefu:unread'; count: number }
  /** A session to keep: browsers deny storage to third-party frames, so the host page keeps it. */
  | { type: 'kefu:session'; session: StoredSession }

/** A customer session as the host page keeps it between visits. */
export interface StoredSession {
  token: string
  userId: string
  displayName: string
}

const HOST_TYPES = new Set(['kefu:set-user', 'kefu:panel', 'kefu:restore'])
const CHAT_TYPES = new Set(['kefu:ready', 'kefu:unread', 'kefu:session'])

const hasType = (data: unknown, types: Set<string>): boolean =>
  typeof data === 'object' && data !== null && types.has(String((data as { type?: unknown }).type))

export const isHostToChat = (data: unknown): data is HostToChat => hasType(data, HOST_TYPES)
export const isChatToHost = (data: unknown): data is ChatToHost => hasType(data, CHAT_TYPES)
