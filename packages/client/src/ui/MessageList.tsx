import type { LocalMessage } from '@kefu/shared'
import { type ReactNode, useEffect, useRef } from 'react'
import { describeEvent, describeRefusal } from '../core/eventText'
import { t } from '../platform/web/webLocale'

interface MessageListProps {
  messages: readonly LocalMessage[]
  /** Which messages sit on the reader's side (right, with read receipts): their own, or their side's. */
  isOnMySide(message: LocalMessage): boolean
  /** The highest seq the other side has read. */
  readUpTo: number
  typingLabel: string | undefined
  /** Shown when older messages exist that this device has not loaded. */
  onLoadOlder?: (() => void) | undefined
  /** Sends a refused message again, or forgets it. */
  onRetry(cid: string): void
  onDiscard(cid: string): void
  /** Something the reader learns about a message beside its time (the console: the customer's emotion). */
  annotate?: ((message: LocalMessage) => ReactNode) | undefined
}

/**
 * What a message says: its text, or the photo or voice note it carries (sent from a mini-program,
 * the body is empty). Media this server keeps is shown in place; anything elsewhere (a photo on
 * WeChat's servers) is a link, since the page's policy loads media from this origin only.
 */
function MessageBody({ message }: { message: LocalMessage }) {
  const attachment = message.attachment
  if (!attachment || (message.kind !== 'image' && message.kind !== 'voice'))
    return <div className="body">{message.body}</div>
  const isHere = new URL(attachment.url, window.location.href).origin === window.location.origin
  const label =
    message.kind === 'image'
      ? t('message.photo')
      : t('message.voiceNote', {
          seconds: Math.max(1, Math.round((attachment.durationMs ?? 0) / 1000)),
        })
  if (!isHere)
    return (
      <a className="body attachment" href={attachment.url} target="_blank" rel="noreferrer noopener">
        {label}
      </a>
    )
  return message.kind === 'image' ? (
    <a className="body attachment" href={attachment.url} target="_blank" rel="noreferrer noopener">
      <img className="photo" src={attachment.url} alt={label} />
    </a>
  ) : (
    <div className="body attachment">
      {/* biome-ignore lint/a11y/useMediaCaption: a voice note has no transcript to caption; its length is written beside it. */}
      <audio className="voice-message" controls preload="none" src={attachment.url} aria-label={label} />
      <span className="voice-length">{label}</span>
    </div>
  )
}

const timeOf = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/** A conversation's messages; text is always rendered as text, never as HTML. */
export function MessageList({
  messages,
  isOnMySide,
  readUpTo,
  typingLabel,
  onLoadOlder,
  onRetry,
  onDiscard,
  annotate,
}: MessageListProps) {
  const bottom = useRef<HTMLDivElement>(null)
  const count = messages.length
  useEffect(() => {
    if (count > 0) bottom.current?.scrollIntoView({ block: 'end' })
  }, [count])
  return (
    <div className="messages" data-testid="messages">
      {onLoadOlder && (
        <button type="button" className="older quiet" onClick={onLoadOlder}>
          {t('chat.loadOlder')}
        </button>
      )}
      {messages.map((message) => {
        // Events are lines of the history; the service's own messages (a greeting) are said, like people's.
        if (message.kind === 'event') {
          const line = describeEvent(message.body, t)
          return (
            line && (
              <div key={message.cid} className="event">
                {line}
              </div>
            )
          )
        }
        const mine = isOnMySide(message)
        // The assistant's words look like no person's: customers and agents both see it is a bot.
        const byBot = message.authorRole === 'bot'
        const failure = message.seq === null ? message.failure : undefined
        const status =
          message.seq === null
            ? t('message.sending')
            : mine && message.seq <= readUpTo
              ? t('message.read')
              : ''
        return (
          <div
            key={message.cid}
            className={`bubble ${mine ? 'mine' : 'theirs'} ${byBot ? 'bot' : ''} ${failure ? 'failed' : ''}`}
            data-testid="bubble"
          >
            {byBot && <div className="author">{t('message.bot')}</div>}
            <MessageBody message={message} />
            {failure ? (
              <div className="meta refused" data-testid="refused">
                {describeRefusal(failure.code, t)}{' '}
                <button type="button" className="link" onClick={() => onRetry(message.cid)}>
                  {t('message.retry')}
                </button>{' '}
                <button type="button" className="link" onClick={() => onDiscard(message.cid)}>
                  {t('message.discard')}
                </button>
              </div>
            ) : (
              <div className="meta">
                {annotate?.(message)} {timeOf(message.createdAt)} {status}
              </div>
            )}
          </div>
        )
      })}
      {typingLabel && <div className="typing">{t('chat.typing', { who: typingLabel })}</div>}
      <div ref={bottom} />
    </div>
  )
}
