import type { Transport } from '@kefu/shared'

/** A socket as wx.connectSocket and my.connectSocket both return it. */
export interface MiniSocketTask {
  send(options: { data: string | ArrayBuffer }): void
  close(options?: object): void
  onOpen(listener: () => void): void
  onMessage(listener: (event: { data: string | ArrayBuffer }) => void): void
  /** Both platforms report the close code (WeChat: `code`, `reason`; Alipay the same). */
  onClose(listener: (result?: { code?: number }) => void): void
  onError(listener: () => void): void
}

/** A SocketTask behind the Transport port. Its listeners cannot be removed, so each checks a flag. */
export function socketTaskTransport(task: MiniSocketTask): Transport {
  const listen = <A extends unknown[]>(
    register: (handler: (...args: A) => void) => void,
    listener: (...args: A) => void,
  ) => {
    let active = true
    register((...args) => active && listener(...args))
    return () => {
      active = false
    }
  }
  return {
    send: (data) => task.send({ data }),
    // A copy, so the socket gets exactly these bytes even when `data` views a larger buffer.
    sendBinary: (data) => task.send({ data: data.slice().buffer }),
    onBinary: (listener) =>
      listen<[{ data: string | ArrayBuffer }]>(
        (handler) => task.onMessage(handler),
        (event) => {
          if (typeof event.data !== 'string') listener(new Uint8Array(event.data))
        },
      ),
    close: () => task.close({}),
    onOpen: (listener) => listen((handler) => task.onOpen(handler), listener),
    onMessage: (listener) =>
      listen<[{ data: string | ArrayBuffer }]>(
        (handler) => task.onMessage(handler),
        (event) => {
          if (typeof event.data === 'string') listener(event.data)
        },
      ),
    // An error on a mini-program socket is always followed by its end; both mean the socket is gone.
    onClose: (listener) => {
      const stopClose = listen<[{ code?: number } | undefined]>(
        (handler) => task.onClose(handler),
        (result) => listener(result?.code),
      )
      const stopError = listen(
        (handler) => task.onError(handler),
        () => listener(),
      )
      return () => {
        stopClose()
        stopError()
      }
    },
  }
}
