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
import { imageTypeOf, type MiniFileSystem, playUrl, readMiniFile } from '../mini/miniFiles'
import { type MiniSocketTask, socketTaskTransport } from '../mini/socketTask'

interface My {
  connectSocket(options: { url: string; multiple: boolean }): MiniSocketTask
  /** `language` is Alipay's, e.g. "zh-Hans" or "en". */
  getSystemInfoSync?(): { language?: string }
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
  chooseImage(options: {
    count: number
    success(result: { apFilePaths: string[] }): void
    fail(): void
  }): void
  compressImage(options: {
    apFilePaths: string[]
    compressLevel: number
    success(result: { apFilePaths: string[] }): void
    fail(): void
  }): void
  getFileSystemManager(): MiniFileSystem
  getRecorderManager(): {
    start(options: object): void
    stop(): void
    onStop(listener: (result: { tempFilePath: string; duration: number }) => void): void
  }
  createInnerAudioContext(): { src: string; play(): void }
  previewImage(options: { urls: string[]; current: number }): void
  onNetworkStatusChange(listener: (status: { isConnected: boolean }) => void): void
  offNetworkStatusChange?(listener: (status: { isConnected: boolean }) => void): void
}
declare const my: My

function request(
  url: string,
  method: string,
  data: unknown,
  headers: Record<string, string>,
): Promise<MiniResponse> {
  return new Promise((resolve, reject) => {
    my.request({
      url,
      method,
      data,
      headers,
      dataType: 'json',
      success: (result) => resolve({ status: result.status, data: result.data }),
      fail: reject,
    })
  })
}

const readFile = (filePath: string) => readMiniFile(my.getFileSystemManager(), filePath)

function alipayMedia(): MiniMedia {
  let recorder: ReturnType<My['getRecorderManager']> | undefined
  let onRecorded: ((file: MiniFile & { durationMs: number }) => void) | undefined
  const recorderOnce = () => {
    if (!recorder) {
      recorder = my.getRecorderManager()
      recorder.onStop(({ tempFilePath, duration }) => {
        void readFile(tempFilePath).then((data) =>
          onRecorded?.({ data, mime: 'audio/aac', durationMs: duration }),
        )
      })
    }
    return recorder
  }
  const readPicked = (path: string, resolve: (file: MiniFile) => void) =>
    void readFile(path).then((data) => resolve({ data, mime: imageTypeOf(path) }))
  return {
    pickImage: () =>
      new Promise((resolve) => {
        my.chooseImage({
          count: 1,
          success: ({ apFilePaths }) => {
            const path = apFilePaths[0]
            if (!path) return resolve(undefined)
            my.compressImage({
              apFilePaths: [path],
              compressLevel: 2,
              success: (result) => readPicked(result.apFilePaths[0] ?? path, resolve),
              fail: () => readPicked(path, resolve),
            })
          },
          fail: () => resolve(undefined),
        })
      }),
    startRecording: () =>
      recorderOnce().start({ format: 'aac', duration: 60_000, sampleRate: 16_000, numberOfChannels: 1 }),
    stopRecording: () =>
      new Promise((resolve) => {
        onRecorded = resolve
        recorderOnce().stop()
      }),
    playAudio: (url) => playUrl(() => my.createInnerAudioContext(), url),
    previewImage: (url) => my.previewImage({ urls: [url], current: 0 }),
  }
}

/** The chat's Alipay adapter: my.connectSocket (multiple sockets), my.request, storage, network. */
export function alipayPlatform(): MiniPlatform {
  return {
    channel: 'alipay',
    connectSocket: (url) => socketTaskTransport(my.connectSocket({ url, multiple: true })),
    ...httpCalls(request),
    media: alipayMedia(),
    storage: {
      get: async (key) => {
        const value = my.getStorageSync({ key }).data
        return typeof value === 'string' && value !== '' ? value : undefined
      },
      set: async (key, value) => my.setStorageSync({ key, data: value }),
      remove: async (key) => my.removeStorageSync({ key }),
    },
    onNetworkChange: networkChanges(
      (handler) => my.onNetworkStatusChange(handler),
      (handler) => my.offNetworkStatusChange?.(handler),
    ),
    systemLanguage: () => my.getSystemInfoSync?.().language,
    clock: miniClock,
    ids: randomIds,
  }
}
