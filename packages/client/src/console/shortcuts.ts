/**
 * The console's keyboard shortcuts, written as `Alt+t`, `Alt+arrowdown`, `escape` (key names in
 * lower case). Alt combinations work while typing in the
 * message box; single keys (`?`) only outside text fields, where they cannot be text.
 */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Enter', does: 'Send the message (Shift+Enter for a new line)' },
  { keys: '/name', does: 'Insert a canned reply (↑ ↓ to choose, Tab or Enter to insert)' },
  { keys: 'Alt+↓ / Alt+↑', does: 'Next / previous conversation' },
  { keys: 'Alt+m', does: 'Go to the message box' },
  { keys: 'Alt+t', does: 'Transfer: choose a team, then write the note and press Enter' },
  { keys: 'Alt+r', does: 'Resolve with the chosen resolution code' },
  { keys: '?', does: 'Show or hide this sheet' },
]

const isTextField = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

/** Calls the handler of a pressed combination; returns the function that stops listening. */
export function onShortcut(handlers: Record<string, () => unknown>): () => void {
  const listener = (event: KeyboardEvent) => {
    // With Alt a Mac types another character: the physical key names letters then.
    const name = event.altKey && event.code.startsWith('Key') ? event.code.slice(3) : event.key
    const combination = `${event.altKey ? 'Alt+' : ''}${name.toLowerCase()}`
    const handler = handlers[combination]
    if (!handler) return
    if (!event.altKey && isTextField(event.target)) return
    event.preventDefault()
    handler()
  }
  window.addEventListener('keydown', listener)
  return () => window.removeEventListener('keydown', listener)
}
