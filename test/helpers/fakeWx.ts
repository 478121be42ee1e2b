import WebSocket from 'ws'

type Listener<T = void> = (value: T) => void

/** A socket task as wx.connectSocket returns it, backed by a real WebSocket to the real server. */
class SocketTask {
  private readonly listeners = {
    open: [] as Listener[],
    message: [] as Listener<{ data: string | ArrayBuffer }>[],
    close: [] as Listener<{ code: number; reason: string }>[],
    error: [] as Listener[],
  }
  private socket: WebSocket | undefined
  private ended = false

  constructor(url: string, isOnline: boolean) {
    if (!isOnline) {
      setTimeout(() => this.end(true), 10)
      return
    }
    this.socket = new WebSocket(url)
    this.socket.on('open', () => {
      for (const listener of this.listeners.open) listener()
    })
    this.socket.on('message', (data, isBinary) => {
      if (!isBinary) return this.deliver(data.toString())
      // WeChat hands binary frames to onMessage as an ArrayBuffer.
      const bytes = new Uint8Array(data as Buffer)
      for (const listener of this.listeners.message) listener({ data: bytes.slice().buffer })
    })
    // WeChat's onClose reports the server's close code and reason.
    this.socket.on('close', (code, reason) => this.end(false, code, reason.toString()))
    this.socket.on('error', () => this.end(true))
  }

  /** Hands the page a frame as if the server had sent it. */
  deliver(data: string): void {
    for (const listener of this.listeners.message) listener({ data })
  }

  end(isError: boolean, code = 1006, reason = ''): void {
    if (this.ended) return
    this.ended = true
    this.socket?.terminate()
    if (isError) for (const listener of this.listeners.error) listener()
    else for (const listener of this.listeners.close) listener({ code, reason })
  }

  send({ data }: { data: string | ArrayBuffer }): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(data)
  }
  close(): void {
    this.end(false)
  }
  onOpen(listener: Listener): void {
    this.listeners.open.push(listener)
  }
  onMessage(listener: Listener<{ data: string | ArrayBuffer }>): void {
    this.listeners.message.push(listener)
  }
  onClose(listener: Listener<{ code: number; reason: string }>): void {
    this.listeners.close.push(listener)
  }
  onError(listener: Listener): void {
    this.listeners.error.push(listener)
  }
  get isOpen(): boolean {
    return !this.ended
  }
}

/**
 * The `wx` a mini-program sees, for the APIs the chat uses, wired to real sockets and real HTTP.
 * The network switch works like a phone losing signal: open sockets drop and new ones fail.
 */
export class FakeWx {
  readonly storage = new Map<string, string>()
  /** Pages opened with wx.navigateTo, by URL. */
  readonly navigated: string[] = []
  /** Files the device "has": what chooseMedia picks and the recorder writes. */
  readonly files = new Map<string, Buffer>()
  readonly played: string[] = []
  readonly previewed: string[] = []
  /** Recorder options of each start, e.g. {format: 'PCM', sampleRate: 16000}. */
  readonly recorderStarts: Record<string, unknown>[] = []
  /** PCM the Web Audio context was asked to play, in order. */
  readonly playedPcm: Float32Array[] = []
  private frameListeners: Listener<{ frameBuffer: ArrayBuffer; isLastFrame: boolean }>[] = []
  readonly sockets: SocketTask[] = []
  private networkListeners: Listener<{ isConnected: boolean }>[] = []
  private isOnline = true

  install(target: Record<string, unknown>): void {
    Object.assign(target, {
      connectSocket: ({ url }: { url: string }) => {
        const task = new SocketTask(url, this.isOnline)
        this.sockets.push(task)
        return task
      },
      chooseMedia: (options: { success: Listener<{ tempFiles: { tempFilePath: string }[] }> }) =>
        setTimeout(() => options.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/photo.png' }] }), 5),
      compressImage: (options: { src: string; success: Listener<{ tempFilePath: string }> }) =>
        setTimeout(() => options.success({ tempFilePath: options.src }), 5),
      getFileSystemManager: () => ({
        readFile: (options: {
          filePath: string
          success: Listener<{ data: ArrayBuffer }>
          fail: Listener<unknown>
        }) => {
          const file = this.files.get(options.filePath)
          setTimeout(
            () =>
              file
                ? options.success({ data: new Uint8Array(file).buffer })
                : options.fail(new Error('no file')),
            5,
          )
        },
      }),
      getRecorderManager: () => {
        const stopListeners: Listener<{ tempFilePath: string; duration: number }>[] = []
        return {
          start: (options: Record<string, unknown>) => void this.recorderStarts.push(options),
          onFrameRecorded: (listener: Listener<{ frameBuffer: ArrayBuffer; isLastFrame: boolean }>) =>
            void this.frameListeners.push(listener),
          stop: () =>
            setTimeout(
              () =>
                stopListeners.forEach(
                  (l) => void l({ tempFilePath: 'wxfile://tmp/voice.aac', duration: 3200 }),
                ),
              5,
            ),
          onStop: (listener: Listener<{ tempFilePath: string; duration: number }>) =>
            void stopListeners.push(listener),
        }
      },
      createWebAudioContext: () => {
        const startedAt = performance.now()
        return {
          get currentTime() {
            return (performance.now() - startedAt) / 1000
          },
          destination: {},
          createBuffer: (_channels: number, length: number) => {
            const data = new Float32Array(length)
            return { getChannelData: () => data }
          },
          createBufferSource: () => {
            const source = {
              buffer: undefined as { getChannelData(): Float32Array } | undefined,
              connect: () => undefined,
              start: () => {
                if (source.buffer) this.playedPcm.push(source.buffer.getChannelData())
              },
            }
            return source
          },
        }
      },
      createInnerAudioContext: () => {
        const audio = { src: '', play: () => void this.played.push(audio.src) }
        return audio
      },
      previewImage: (options: { urls: string[] }) => void this.previewed.push(...options.urls),
      request: (options: {
        url: string
        method: string
        data?: unknown
        header?: Record<string, string>
        success: Listener<{ statusCode: number; data: unknown }>
        fail: Listener<unknown>
      }) => {
        if (!this.isOnline) return void setTimeout(() => options.fail(new Error('offline')), 10)
        const data = options.data
        const body =
          data === undefined ? null : data instanceof ArrayBuffer ? Buffer.from(data) : JSON.stringify(data)
        fetch(options.url, { method: options.method, headers: options.header ?? {}, body }).then(
          async (response) => options.success({ statusCode: response.status, data: await response.json() }),
          options.fail,
        )
      },
      navigateTo: (options: { url: string }) => void this.navigated.push(options.url),
      getStorageSync: (key: string) => this.storage.get(key) ?? '',
      setStorageSync: (key: string, value: string) => void this.storage.set(key, value),
      removeStorageSync: (key: string) => void this.storage.delete(key),
      onNetworkStatusChange: (listener: Listener<{ isConnected: boolean }>) =>
        void this.networkListeners.push(listener),
      offNetworkStatusChange: (listener: Listener<{ isConnected: boolean }>) => {
        this.networkListeners = this.networkListeners.filter((l) => l !== listener)
      },
    })
  }

  /** The recorder delivers a PCM frame, as onFrameRecorded does on a phone. */
  recordPcm(samples: Int16Array): void {
    const frameBuffer = new Int16Array(samples).buffer
    for (const listener of this.frameListeners) listener({ frameBuffer, isLastFrame: false })
  }

  setNetwork(isOnline: boolean): void {
    this.isOnline = isOnline
    if (!isOnline) for (const socket of this.sockets) socket.end(true)
    for (const listener of this.networkListeners) listener({ isConnected: isOnline })
  }

  get openSocket(): SocketTask | undefined {
    return this.sockets.filter((socket) => socket.isOpen).at(-1)
  }
}
