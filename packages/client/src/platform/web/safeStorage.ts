const memory = new Map<string, string>()

/** Storage that always works: in-memory where the browser denies storage (a third-party frame). */
export interface SimpleStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const inMemory: SimpleStorage = {
  getItem: (key) => memory.get(key) ?? null,
  setItem: (key, value) => void memory.set(key, value),
  removeItem: (key) => void memory.delete(key),
}

let chosen: SimpleStorage | undefined

/** localStorage when this document may use it, else an in-memory stand-in for this page's life. */
export function safeStorage(): SimpleStorage {
  if (chosen) return chosen
  try {
    localStorage.setItem('kefu.probe', '1')
    localStorage.removeItem('kefu.probe')
    chosen = localStorage
  } catch {
    // Denied (third-party frame, privacy mode): the widget's host page keeps the session instead.
    chosen = inMemory
  }
  return chosen
}
