import { type MiniPlatform, miniClock, randomIds } from '../../miniprogram/MiniPlatform'
import { type MiniSocketTask, socketTaskTransport } from '../../miniprogram/socketTask'

// The slice of WeChat's API the chat uses, typed here rather than pulling in a global type package.
interface Wx {
  connectSocket(options: { url: string }): MiniSocketTask
  request(options: {
    url: string
    method: string
    data?: unknown
    header?: Record<string, string>
    success(result: { statusCode: number; data: unknown }): void
    fail(error: unknown): void
  }): void
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: string): void
  removeStorageSync(key: string): void
  onNetworkStatusChange(listener: (status: { isConnected: boolean }) => void): void
  offNetworkStatusChange?(listener: (status: { isConnected: boolean }) => void): void
}
declare const wx: Wx

/** The chat's WeChat adapter: wx.connectSocket, wx.request, wx storage and network status. */
export function wechatPlatform(): MiniPlatform {
  return {
    channel: 'wechat',
    connectSocket: (url) => socketTaskTransport(wx.connectSocket({ url })),
    request: (method, url, body, token) =>
      new Promise((resolve, reject) => {
        wx.request({
          url,
          method,
          data: body,
          header: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          success: (result) => resolve({ status: result.statusCode, data: result.data }),
          fail: reject,
        })
      }),
    storage: {
      get: async (key) => {
        const value = wx.getStorageSync(key)
        return typeof value === 'string' && value !== '' ? value : undefined
      },
      set: async (key, value) => wx.setStorageSync(key, value),
      remove: async (key) => wx.removeStorageSync(key),
    },
    onNetworkChange: (listener) => {
      const handler = (status: { isConnected: boolean }) => listener(status.isConnected)
      wx.onNetworkStatusChange(handler)
      return () => wx.offNetworkStatusChange?.(handler)
    },
    clock: miniClock,
    ids: randomIds,
  }
}
