import { type MiniPlatform, miniClock, randomIds } from '../../miniprogram/MiniPlatform'
import { type MiniSocketTask, socketTaskTransport } from '../../miniprogram/socketTask'

interface My {
  connectSocket(options: { url: string; multiple: boolean }): MiniSocketTask
  request(options: {
    url: string
    method: string
    data?: unknown
    headers?: Record<string, string>
    dataType?: string
    success(result: { status: number; data: unknown }): void
    fail(error: unknown): void
  }): void
  getStorageSync(options: { key: string }): { data?: unknown }
  setStorageSync(options: { key: string; data: string }): void
  removeStorageSync(options: { key: string }): void
  onNetworkStatusChange(listener: (status: { isConnected: boolean }) => void): void
  offNetworkStatusChange?(listener: (status: { isConnected: boolean }) => void): void
}
declare const my: My

/** The chat's Alipay adapter: my.connectSocket (multiple sockets), my.request, storage, network. */
export function alipayPlatform(): MiniPlatform {
  return {
    channel: 'alipay',
    connectSocket: (url) => socketTaskTransport(my.connectSocket({ url, multiple: true })),
    request: (method, url, body, token) =>
      new Promise((resolve, reject) => {
        my.request({
          url,
          method,
          data: body,
          dataType: 'json',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          success: (result) => resolve({ status: result.status, data: result.data }),
          fail: reject,
        })
      }),
    storage: {
      get: async (key) => {
        const value = my.getStorageSync({ key }).data
        return typeof value === 'string' && value !== '' ? value : undefined
      },
      set: async (key, value) => my.setStorageSync({ key, data: value }),
      remove: async (key) => my.removeStorageSync({ key }),
    },
    onNetworkChange: (listener) => {
      const handler = (status: { isConnected: boolean }) => listener(status.isConnected)
      my.onNetworkStatusChange(handler)
      return () => my.offNetworkStatusChange?.(handler)
    },
    clock: miniClock,
    ids: randomIds,
  }
}
