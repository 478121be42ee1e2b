// A WeChat-shaped host for the built mini-program hall page, in Chromium: Page(), and the slice of
// wx the hall uses (selector queries for a <canvas type="webgl2"> node, offscreen 2D canvases,
// SocketTask, request, storage, system info), each played by the browser's own equivalent. The
// canvas is a real WebGL 2 canvas, so what three.js draws is what a phone would draw.
;(() => {
  const storage = new Map()
  window.__hallPage = { data: {}, options: undefined }
  window.Page = (options) => {
    window.__hallPage.options = options
  }
  window.wx = {
    getSystemInfoSync: () => ({ pixelRatio: 1, language: 'zh_CN' }),
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
    touch(kind, x, y) {
      const { options, instance } = window.__hallPage
      const event = { touches: x === undefined ? [] : [{ clientX: x, clientY: y }] }
      options[kind].call(instance, event)
    },
  }
})()
