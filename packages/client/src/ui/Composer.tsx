import { useRef, useState } from 'react'
import { t } from '../platform/web/webLocale'

interface ComposerProps {
  disabled?: boolean
  placeholder: string
  onSend(text: string): void
  onTyping(isTyping: boolean): void
}

const TYPING_IDLE_MS = 2500

/** The message box: Enter sends, Shift+Enter breaks the line, typing is announced while it lasts. */
export function Composer({ disabled = false, placeholder, onSend, onTyping }: ComposerProps) {
  const [text, setText] = useState('')
  const idleTimer = useRef<number | undefined>(undefined)
  const isTyping = useRef(false)

  const stopTyping = () => {
    window.clearTimeout(idleTimer.current)
    if (isTyping.current) onTyping(false)
    isTyping.current = false
  }
  const noteTyping = () => {
    if (!isTyping.current) onTyping(true)
    isTyping.current = true
    window.clearTimeout(idleTimer.current)
    idleTimer.current = window.setTimeout(stopTyping, TYPING_IDLE_MS)
  }
  const send = () => {
    const trimmed = text.trim()
    if (!trimmed) return
    onSend(trimmed)
    setText('')
    stopTyping()
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault()
        send()
      }}
    >
      <textarea
        aria-label={t('chat.messageLabel')}
        value={text}
        disabled={disabled}
        placeholder={placeholder}
        rows={2}
        maxLength={4000}
        onChange={(event) => {
          setText(event.target.value)
          noteTyping()
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault()
            send()
          }
        }}
      />
      <button type="submit" disabled={disabled || text.trim() === ''}>
        {t('chat.send')}
      </button>
    </form>
  )
}
