import type { Cancel, Clock, IdSource, PcmRecorder } from '@kefu/shared'
import type { Platform } from '../Platform'
import type { MiniAudioContext } from './miniAudio'

/** An HTTP answer, as both mini-program platforms report it. */
export interface MiniResponse {
  status: number
  data: unknown
}

/** A recorded or picked file, read into memory for upload. */
export interface MiniFile {
  data: ArrayBuffer
  mime: string
}

/** Photos and voice notes, as each platform's media APIs provide them. */
export interface MiniMedia {
  /** Lets the customer pick a photo, compressed; undefined when they cancel. */
  pickImage(): Promise<MiniFile | undefined>
  startRecording(): void
  stopRecording(): Promise<MiniFile & { durationMs: number }>
  playAudio(url: string): void
  previewImage(url: string): void
}

/** What the chat needs from WeChat or Alipay: the only code that differs between the two. */
export interface MiniPlatform extends Platform {
  channel: 'wechat' | 'alipay'
  request(method: 'GET' | 'POST', url: string, body?: unknown, token?: string): Promise<MiniResponse>
  /** Posts raw bytes (an upload) with their media type. */
  upload(url: string, file: MiniFile, token: string): Promise<MiniResponse>
  media: MiniMedia
  /** Live voice through the server's bridge; absent where the platform has no PCM recorder or player. */
  call?: {
    recorder: PcmRecorder
    createAudioContext(): MiniAudioContext
    /** True where an HRTF panner per voice costs too much (iPhones): the hall mixes gain and balance. */
    prefersStereo: boolean
  }
  /** Calls `listener` when the device goes offline or comes back; returns the unsubscribe function. */
  onNetworkChange(listener: (isOnline: boolean) => void): Cancel
}

/** Ids for message cids: unique per device, not secret, so Math.random is enough here. */
export const randomIds: IdSource = {
  newId: () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`,
}

/** The platform's own timers behind the Clock port. */
export const miniClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    return () => clearTimeout(timer)
  },
}

/** A platform's own HTTP call (wx.request, my.request) reduced to what the chat needs. */
export type RawRequest = (
  url: string,
  method: string,
  data: unknown,
  headers: Record<string, string>,
) => Promise<MiniResponse>

/** JSON calls and raw uploads over a platform's HTTP call, with the session token as a bearer. */
export function httpCalls(send: RawRequest): Pick<MiniPlatform, 'request' | 'upload'> {
  return {
    request: (method, url, body, token) =>
      send(url, method, body, {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      }),
    upload: (url, file, token) =>
      send(url, 'POST', file.data, { 'content-type': file.mime, authorization: `Bearer ${token}` }),
  }
}

type NetworkListener = (status: { isConnected: boolean }) => void

/** Network status changes as on/off pairs both platforms offer (off is missing on old base libraries). */
export function networkChanges(
  on: (listener: NetworkListener) => void,
  off?: (listener: NetworkListener) => void,
): MiniPlatform['onNetworkChange'] {
  return (listener) => {
    const handler: NetworkListener = (status) => listener(status.isConnected)
    on(handler)
    return () => off?.(handler)
  }
}
