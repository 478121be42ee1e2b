import { create } from 'zustand'
import type { IssuedSession } from '../net/api'
import { safeStorage } from '../platform/web/safeStorage'

interface LoginState {
  customer: IssuedSession | undefined
  agent: IssuedSession | undefined
  setCustomer(session: IssuedSession | undefined): void
  setAgent(session: IssuedSession | undefined): void
}

const read = (key: string): IssuedSession | undefined => {
  try {
    const raw = safeStorage().getItem(key)
    return raw ? (JSON.parse(raw) as IssuedSession) : undefined
  } catch {
    // A damaged entry just means signing in again.
    return undefined
  }
}
const write = (key: string, session: IssuedSession | undefined) =>
  session ? safeStorage().setItem(key, JSON.stringify(session)) : safeStorage().removeItem(key)

/** The signed-in customer and agent of this browser, kept across reloads. */
export const useStoredLogin = create<LoginState>((set) => ({
  customer: read('kefu.customer'),
  agent: read('kefu.agent'),
  setCustomer: (customer) => {
    write('kefu.customer', customer)
    set({ customer })
  },
  setAgent: (agent) => {
    write('kefu.agent', agent)
    set({ agent })
  },
}))
