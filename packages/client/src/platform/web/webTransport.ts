import type { Transport } from '@kefu/shared'

/** The browser's WebSocket behind the core's Transport port. */
export function openWebTransport(url: string): Transport {
  const socket = new WebSocket(url)
  const listen = <K extends keyof WebSocketEventMap>(
    type: K,
    handler: (event: WebSocketEventMap[K]) => void,
  ) => {
    socket.addEventListener(type, handler)
    return () => socket.removeEventListener(type, handler)
  }
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
    onOpen: (listener) => listen('open', () => listener()),
    onMessage: (listener) =>
      listen('message', (event) => typeof event.data === 'string' && listener(event.data)),
    onClose: (listener) => listen('close', (event) => listener(event.code)),
  }
}

/** The socket address for a session token, on the page's own host. */
export function socketUrl(token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`
}
