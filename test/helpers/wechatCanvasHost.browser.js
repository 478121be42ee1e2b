// A WeChat-shaped host for the built mini-program hall page, in Chromium: Page(), and the slice of
// wx the hall uses (selector queries for a <canvas type="webgl2"> node, offscreen 2D canvases,
// SocketTask, request, storage, system info, the PCM recorder and the WebAudioContext), each played
// by the browser's own equivalent. The canvas is a real WebGL 2 canvas, so what three.js draws is
// what a phone would draw; the audio context is a real AudioContext whose output the host listens
// to, ear by ear.
;(() => {
  const storage = new Map()
  const audio = { context: undefined, left: undefined, right: undefined }
  // The phone's microphone: quiet PCM frames of 1 KB (32 ms at 16 kHz), as WeChat's frameSize 1 gives.
  const recorder = { timer: undefined, frameListeners: [], stopListeners: [] }
  window.__hallPage = { data: {}, options: undefined }
  window.Page = (options) => {
    window.__hallPage.options = options
  }
  window.wx = {
    getSystemInfoSync: () => ({ pixelRatio: 1, language: 'zh_CN', platform: window.__hallHost.platform }),
    getRecorderManager: () => ({
      start: () => {
        clearInterval(recorder.timer)
        recorder.timer = setInterval(() => {
          const frameBuffer = new Int16Array(512).buffer
          for (const listener of recorder.frameListeners) listener({ frameBuffer, isLastFrame: false })
        }, 32)
      },
      stop: () => {
        clearInterval(recorder.timer)
        for (const listener of recorder.stopListeners) listener({ tempFilePath: '', duration: 0 })
      },
      onFrameRecorded: (listener) => recorder.frameListeners.push(listener),
      onStop: (listener) => recorder.stopListeners.push(listener),
    }),
    createWebAudioContext: () => {
      const context = new AudioContext()
      const output = context.createGain()
      const split = context.createChannelSplitter(2)
      audio.left = context.createAnalyser()
      audio.right = context.createAnalyser()
      output.connect(context.destination)
      output.connect(split)
      split.connect(audio.left, 0)
      split.connect(audio.right, 1)
      audio.context = context
      // What the page sends to the speaker goes through the host's ears on the way.
      Object.defineProperty(context, 'destination', { value: output })
      return context
    },
    getStorageSync: (key) => storage.get(key) ?? '',
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    onNetworkStatusChange: () => {},
    createSelectorQuery: () => ({
      select: (selector) => ({
        fields: () => ({
          exec: (callback) => {
            const node = document.querySelector(selector)
            node.requestAnimationFrame = (frame) => requestAnimationFrame(frame)
            node.cancelAnimationFrame = (id) => cancelAnimationFrame(id)
            // WeChat's canvas node takes no DOM listeners: the adapter must not need them.
            node.addEventListener = undefined
            node.removeEventListener = undefined
            callback([{ node, width: node.clientWidth, height: node.clientHeight }])
          },
        }),
      }),
    }),
    createOffscreenCanvas: ({ width, height }) => new OffscreenCanvas(width, height),
    request: ({ url, method, data, header, success, fail }) => {
      fetch(url, { method, headers: header, body: data === undefined ? undefined : JSON.stringify(data) })
        .then(async (response) => success({ statusCode: response.status, data: await response.json() }))
        .catch(fail)
    },
    connectSocket: ({ url }) => {
      const socket = new WebSocket(url)
      socket.binaryType = 'arraybuffer'
      return {
        send: ({ data }) => socket.send(data),
        close: () => socket.close(),
        onOpen: (listener) => socket.addEventListener('open', () => listener()),
        onMessage: (listener) =>
          socket.addEventListener('message', (event) => listener({ data: event.data })),
        onClose: (listener) => socket.addEventListener('close', (event) => listener({ code: event.code })),
        onError: (listener) => socket.addEventListener('error', () => listener()),
      }
    },
  }
  window.__hallHost = {
    storage,
    /** WeChat's system info platform: "ios" hears the hall with gain and balance, not HRTF. */
    platform: 'android',
    /** How loud the page's audio is in each ear now (RMS). */
    ears() {
      const rms = (analyser) => {
        if (!analyser) return 0
        const samples = new Float32Array(analyser.fftSize)
        analyser.getFloatTimeDomainData(samples)
        return Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length)
      }
      return { left: rms(audio.left), right: rms(audio.right), state: audio.context?.state ?? 'none' }
    },
    /** Runs the page's lifecycle as WeChat would: onLoad with the query, then onReady. */
    open(query) {
      const { options } = window.__hallPage
      const page = {
        data: { ...options.data },
        setData(patch) {
          Object.assign(page.data, patch)
          window.__hallPage.data = page.data
        },
      }
      window.__hallPage.instance = page
      options.onLoad.call(page, query)
      options.onReady.call(page)
    },
    /** Leaves the page as WeChat does on the back button. */
    close() {
      const { options, instance } = window.__hallPage
      options.onUnload.call(instance)
    },
    /** Calls one of the page's handlers as a tap or an input event would. */
    handle(name, event) {
      const { options, instance } = window.__hallPage
      options[name].call(instance, event)
    },
    touch(kind, x, y) {
      const { options, instance } = window.__hallPage
      const event = { touches: x === undefined ? [] : [{ clientX: x, clientY: y }] }
      options[kind].call(instance, event)
    },
  }
})()
