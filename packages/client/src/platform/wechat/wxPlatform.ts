import {
  httpCalls,
  type MiniFile,
  type MiniMedia,
  type MiniPlatform,
  type MiniResponse,
  miniClock,
  networkChanges,
  randomIds,
} from '../mini/MiniPlatform'
import type { MiniAudioContext } from '../mini/miniAudio'
import { imageTypeOf, type MiniFileSystem, playUrl, readMiniFile } from '../mini/miniFiles'
import { type MiniSocketTask, socketTaskTransport } from '../mini/socketTask'
import { WxRecorderHub } from './bridge/wxAudio'

// The slice of WeChat's API the chat uses, typed here rather than pulling in a global type package.
interface Wx {
  connectSocket(options: { url: string }): MiniSocketTask
  /** `language` is WeChat's, e.g. "zh_CN" or "en". */
  getSystemInfoSync?(): { language?: string; platform?: string }
  createWebAudioContext(): MiniAudioContext
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
  chooseMedia(options: {
    count: number
    mediaType: string[]
    sizeType: string[]
    success(result: { tempFiles: { tempFilePath: string }[] }): void
    fail(): void
  }): void
  compressImage(options: {
    src: string
    quality: number
    success(result: { tempFilePath: string }): void
    fail(): void
  }): void
  getFileSystemManager(): MiniFileSystem
  createInnerAudioContext(): { src: string; play(): void }
  previewImage(options: { urls: string[]; current: string }): void
  onNetworkStatusChange(listener: (status: { isConnected: boolean }) => void): void
  offNetworkStatusChange?(listener: (status: { isConnected: boolean }) => void): void
}
declare const wx: Wx

function request(
  url: string,
  method: string,
  data: unknown,
  header: Record<string, string>,
): Promise<MiniResponse> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method,
      data,
      header,
      success: (result) => resolve({ status: result.statusCode, data: result.data }),
      fail: reject,
    })
  })
}

const readFile = (filePath: string) => readMiniFile(wx.getFileSystemManager(), filePath)

function wechatMedia(hub: WxRecorderHub): MiniMedia {
  let onRecorded: ((file: MiniFile & { durationMs: number }) => void) | undefined
  hub.onStop(({ tempFilePath, duration }) => {
    const deliver = onRecorded
    onRecorded = undefined
    if (deliver)
      void readFile(tempFilePath).then((data) => deliver({ data, mime: 'audio/aac', durationMs: duration }))
  })
  const readPicked = (path: string, resolve: (file: MiniFile) => void) =>
    void readFile(path).then((data) => resolve({ data, mime: imageTypeOf(path) }))
  return {
    pickImage: () =>
      new Promise((resolve) => {
        wx.chooseMedia({
          count: 1,
          mediaType: ['image'],
          sizeType: ['compressed'],
          success: ({ tempFiles }) => {
            const path = tempFiles[0]?.tempFilePath
            if (!path) return resolve(undefined)
            wx.compressImage({
              src: path,
              quality: 70,
              success: ({ tempFilePath }) => readPicked(tempFilePath, resolve),
              fail: () => readPicked(path, resolve),
            })
          },
          fail: () => resolve(undefined),
        })
      }),
    startRecording: () =>
      hub.recorder.start({
        format: 'aac',
        duration: 60_000,
        sampleRate: 16_000,
        numberOfChannels: 1,
        encodeBitRate: 48_000,
      }),
    stopRecording: () =>
      new Promise((resolve) => {
        onRecorded = resolve
        hub.recorder.stop()
      }),
    playAudio: (url) => playUrl(() => wx.createInnerAudioContext(), url),
    previewImage: (url) => wx.previewImage({ urls: [url], current: url }),
  }
}

/** The chat's WeChat adapter: wx.connectSocket, wx.request, wx storage and network status. */
export function wechatPlatform(): MiniPlatform {
  const hub = new WxRecorderHub()
  return {
    channel: 'wechat',
    connectSocket: (url) => socketTaskTransport(wx.connectSocket({ url })),
    ...httpCalls(request),
    media: wechatMedia(hub),
    call: {
      recorder: hub.pcmRecorder(),
      createAudioContext: () => wx.createWebAudioContext(),
      prefersStereo: wx.getSystemInfoSync?.().platform === 'ios',
    },
    storage: {
      get: async (key) => {
        const value = wx.getStorageSync(key)
        return typeof value === 'string' && value !== '' ? value : undefined
      },
      set: async (key, value) => wx.setStorageSync(key, value),
      remove: async (key) => wx.removeStorageSync(key),
    },
    onNetworkChange: networkChanges(
      (handler) => wx.onNetworkStatusChange(handler),
      (handler) => wx.offNetworkStatusChange?.(handler),
    ),
    systemLanguage: () => wx.getSystemInfoSync?.().language,
    clock: miniClock,
    ids: randomIds,
  }
}
