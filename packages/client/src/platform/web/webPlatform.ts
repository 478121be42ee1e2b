import type { Platform } from '../Platform'
import { createWebStorage } from './webStorage'
import { openWebTransport } from './webTransport'

/** The browser as a Platform; storage is namespaced per signed-in user. */
export function webPlatform(storageNamespace: string): Platform {
  return {
    channel: 'web',
    connectSocket: openWebTransport,
    storage: createWebStorage(storageNamespace),
    systemLanguage: () => navigator.language,
    clock: {
      now: () => Date.now(),
      setTimeout: (callback, delayMs) => {
        const timer = window.setTimeout(callback, delayMs)
        return () => window.clearTimeout(timer)
      },
    },
    ids: { newId: () => crypto.randomUUID().replaceAll('-', '').slice(0, 16) },
  }
}
