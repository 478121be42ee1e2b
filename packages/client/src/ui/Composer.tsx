import { forwardRef, useRef, useState } from 'react'
import { t } from '../platform/web/webLocale'

/** A text the composer offers after `/` and its name (a canned reply). */
export interface Completion {
  name: string
  body: string
  /** Shown beside the name, e.g. whose reply it is. */
  hint?: string
}

interface ComposerProps {
  disabled?: boolean
  placeholder: string
  onSend(text: string): void
  onTyping(isTyping: boolean): void
  /** Offered when the last word starts with `/`; Enter or Tab inserts the one chosen. */
  completions?: readonly Completion[]
  /** Offered above the box for what the other side just said; a click puts one in the box to edit. */
  suggestions?: readonly Completion[]
}

// The word being typed, when it starts with a slash: "/ref" at the end of the text.
const SLASH_WORD = /(^|\s)\/([\p{L}\p{N}_-]*)$/u

/** The completions for the slash word at the end of `text`, names starting with it first. */
export function completionsFor(text: string, completions: readonly Completion[]): Completion[] {
  const match = SLASH_WORD.exec(text)
  if (!match) return []
  const typed = (match[2] ?? '').toLowerCase()
  const starting = completions.filter((completion) => completion.name.toLowerCase().startsWith(typed))
  const containing = completions.filter(
    (completion) =>
      !completion.name.toLowerCase().startsWith(typed) && completion.name.toLowerCase().includes(typed),
  )
  return [...starting, ...containing].slice(0, 8)
}

/** `text` with its slash word replaced by the completion's body. */
export function insertCompletion(text: string, completion: Completion): string {
  return text.replace(SLASH_WORD, (_whole, before: string) => `${before}${completion.body}`)
}

const TYPING_IDLE_MS = 2500

/**
 * The message box: Enter sends, Shift+Enter breaks the line, typing is announced while it lasts;
 * with completions, `/name` offers canned replies to insert.
 */
export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  { disabled = false, placeholder, onSend, onTyping, completions = [], suggestions = [] },
  ref,
) {
  const [text, setText] = useState('')
  const [chosen, setChosen] = useState(0)
  const offered = completionsFor(text, completions)
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

  const insert = (completion: Completion) => {
    setText(insertCompletion(text, completion))
    setChosen(0)
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault()
        send()
      }}
    >
      {suggestions.length > 0 && !disabled && (
        <ul className="suggestions" aria-label="Suggested answers" data-testid="suggestions">
          {suggestions.map((suggestion) => (
            <li key={`${suggestion.name}|${suggestion.body}`}>
              <button type="button" className="suggestion" onClick={() => setText(suggestion.body)}>
                <span className="completion-name">{suggestion.name}</span>
                {suggestion.hint && <span className="completion-hint">{suggestion.hint}</span>}
                <span className="completion-body">{suggestion.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {offered.length > 0 && (
        <ul className="completions" aria-label="Canned replies">
          {offered.map((completion, index) => (
            <li key={`${completion.name}|${completion.hint}`} className={index === chosen ? 'chosen' : ''}>
              <button
                type="button"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => insert(completion)}
              >
                <span className="completion-name">/{completion.name}</span>
                {completion.hint && <span className="completion-hint">{completion.hint}</span>}
                <span className="completion-body">{completion.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <textarea
        ref={ref}
        aria-label={t('chat.messageLabel')}
        value={text}
        disabled={disabled}
        placeholder={placeholder}
        rows={2}
        maxLength={4000}
        onChange={(event) => {
          setText(event.target.value)
          setChosen(0)
          noteTyping()
        }}
        onKeyDown={(event) => {
          const picked = offered[Math.min(chosen, offered.length - 1)]
          if (picked && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
            event.preventDefault()
            const step = event.key === 'ArrowDown' ? 1 : -1
            setChosen((chosen + step + offered.length) % offered.length)
            return
          }
          if (picked && (event.key === 'Tab' || (event.key === 'Enter' && !event.shiftKey))) {
            event.preventDefault()
            insert(picked)
            return
          }
          if (offered.length > 0 && event.key === 'Escape') {
            event.preventDefault()
            setText(`${text} `)
            return
          }
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
})
