import type { LocalMessage } from '@kefu/shared'
import { useEffect, useRef } from 'react'

interface MessageListProps {
  messages: readonly LocalMessage[]
  /** Which messages sit on the reader's side (right, with read receipts): their own, or their side's. */
  isOnMySide(message: LocalMessage): boolean
  /** The highest seq the other side has read. */
  readUpTo: number
  typingLabel: string | undefined
  /** Shown when older messages exist that this device has not loaded. */
  onLoadOlder?: (() => void) | undefined
}

const EVENT_TEXT: Record<string, (event: Record<string, string>) => string> = {
  queued: () => 'Waiting for an agent',
  assigned: (event) => `${event.agentName ?? 'An agent'} joined`,
  transferred: (event) =>
    event.toTeamId
      ? `Transferred to the ${event.toTeamId} team`
      : `Transferred to ${event.agentName ?? 'another agent'}`,
  resolved: () => 'Conversation resolved',
  abandoned: () => 'Conversation closed',
  reopened: () => 'Conversation reopened',
  requeued: () => 'Agent disconnected; finding another agent',
  'voice.requested': () => 'Voice call requested',
  'voice.joined': (event) => `${event.name ?? 'Someone'} joined the call`,
  'voice.left': (event) => `${event.name ?? 'Someone'} left the call`,
  'voice.audio_published': (event) => `${event.name ?? 'Someone'} is on the microphone`,
  'voice.room_closed': () => 'Voice call ended',
}

function describeEvent(body: string): string {
  try {
    const event = JSON.parse(body) as Record<string, string>
    return EVENT_TEXT[event.event ?? '']?.(event) ?? 'Update'
  } catch {
    return 'Update'
  }
}

const timeOf = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/** A conversation's messages; text is always rendered as text, never as HTML. */
export function MessageList({ messages, isOnMySide, readUpTo, typingLabel, onLoadOlder }: MessageListProps) {
  const bottom = useRef<HTMLDivElement>(null)
  const count = messages.length
  useEffect(() => {
    if (count > 0) bottom.current?.scrollIntoView({ block: 'end' })
  }, [count])
  return (
    <div className="messages" data-testid="messages">
      {onLoadOlder && (
        <button type="button" className="older quiet" onClick={onLoadOlder}>
          Load earlier messages
        </button>
      )}
      {messages.map((message) => {
        if (message.kind === 'event' || message.kind === 'system') {
          return (
            <div key={message.cid} className="event">
              {describeEvent(message.body)}
            </div>
          )
        }
        const mine = isOnMySide(message)
        const status = message.seq === null ? 'Sending…' : mine && message.seq <= readUpTo ? 'Read' : ''
        return (
          <div key={message.cid} className={`bubble ${mine ? 'mine' : 'theirs'}`} data-testid="bubble">
            <div className="body">{message.body}</div>
            <div className="meta">
              {timeOf(message.createdAt)} {status}
            </div>
          </div>
        )
      })}
      {typingLabel && <div className="typing">{typingLabel} is typing…</div>}
      <div ref={bottom} />
    </div>
  )
}
