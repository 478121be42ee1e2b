import type { KeyValueStore } from '@kefu/shared'
import { safeStorage } from './safeStorage'

/** localStorage behind the core's KeyValueStore port, namespaced per signed-in user. */
export function createWebStorage(namespace: string): KeyValueStore {
  const key = (name: string) => `${namespace}:${name}`
  return {
    get: async (name) => safeStorage().getItem(key(name)) ?? undefined,
    set: async (name, value) => safeStorage().setItem(key(name), value),
    remove: async (name) => safeStorage().removeItem(key(name)),
  }
}

/** A stable id for this browser, so the server can tell this device from the customer's others. */
export function deviceId(): string {
  const existing = safeStorage().getItem('kefu.device')
  if (existing) return existing
  const created = `web-${crypto.randomUUID().slice(0, 8)}`
  safeStorage().setItem('kefu.device', created)
  return created
}
