import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FakeWx } from './fakeWx'
import { spawnServerWithDemoAgent } from './spawnedServer'

/** The built Alipay component, as Alipay's IDE would load it. */
/** The built Alipay project, as Alipay's IDE would open it. */
export const ALIPAY_DIST = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../packages/client/dist-mp/alipay',
)
const ALIPAY_COMPONENT = join(ALIPAY_DIST, 'components/kefu-chat/index.js')

type Callback<T> = (result: T) => void

/**
 * The `my` an Alipay mini-program sees, for the APIs the chat uses, in Alipay's shapes (options
 * objects for storage, `headers`/`status` for HTTP, `apFilePaths` for images). Underneath is the same
 * simulated phone as WeChat's: real sockets and HTTP, a network switch, files, storage.
 */
export class FakeMy {
  readonly device = new FakeWx()
  readonly api: Record<string, unknown>

  constructor() {
    const wx: Record<string, (options: Record<string, unknown>) => unknown> = {}
    this.device.install(wx)
    const call = (name: string, options: Record<string, unknown>) => wx[name]?.(options)
    this.api = {
      connectSocket: ({ url }: { url: string; multiple: boolean }) => call('connectSocket', { url }),
      request: (options: {
        url: string
        method: string
        data?: unknown
        headers?: Record<string, string>
        success: Callback<{ status: number; data: unknown }>
        fail: Callback<unknown>
      }) =>
        call('request', {
          url: options.url,
          method: options.method,
          data: options.data,
          header: options.headers,
          success: ({ statusCode, data }: { statusCode: number; data: unknown }) =>
            options.success({ status: statusCode, data }),
          fail: options.fail,
        }),
      getStorageSync: ({ key }: { key: string }) => ({ data: this.device.storage.get(key) }),
      setStorageSync: ({ key, data }: { key: string; data: string }) =>
        void this.device.storage.set(key, data),
      removeStorageSync: ({ key }: { key: string }) => void this.device.storage.delete(key),
      chooseImage: ({ success }: { success: Callback<{ apFilePaths: string[] }> }) =>
        setTimeout(() => success({ apFilePaths: ['https://resource/photo.png'] }), 5),
      compressImage: ({ apFilePaths, success }: { apFilePaths: string[]; success: Callback<object> }) =>
        setTimeout(() => success({ apFilePaths }), 5),
      getFileSystemManager: wx.getFileSystemManager,
      getRecorderManager: wx.getRecorderManager,
      createInnerAudioContext: wx.createInnerAudioContext,
      previewImage: wx.previewImage,
      onNetworkStatusChange: wx.onNetworkStatusChange,
      offNetworkStatusChange: wx.offNetworkStatusChange,
    }
  }
}

/** A mounted `<kefu-chat>` of the Alipay build: its data, and its methods as the AXML binds them. */
export interface AlipayChat {
  data: {
    view: {
      status: string
      headline: string
      banner: string
      askRating: boolean
      messages: { text: string; meta: string; mine: boolean; refused: string }[]
    }
    draft: string
    fallback: boolean
  }
  tap(method: string, event?: object): void
  unmount(): void
}

interface ComponentOptions {
  props: Record<string, unknown>
  data: Record<string, unknown>
  didMount(this: object): void
  didUnmount(this: object): void
  methods: Record<string, (this: object, event?: object) => void>
}

/**
 * Alipay has no simulator one can run outside its IDE, so this plays Alipay's part of the contract:
 * it runs the built component file with `my` and `Component` as Alipay's runtime provides them,
 * mounts it with props, and applies `setData` as Alipay does (shallow, by key). The AXML is not
 * rendered; the component's data is what it would render.
 */
export function loadAlipayComponent(my: FakeMy): (props: Record<string, unknown>) => AlipayChat {
  let options: ComponentOptions | undefined
  const source = readFileSync(ALIPAY_COMPONENT, 'utf8')
  new Function('my', 'Component', source)(my.api, (given: ComponentOptions) => {
    options = given
  })
  const component = options
  if (!component) throw new Error('the Alipay build did not call Component()')
  return (props) => {
    const instance = {
      props: { ...component.props, ...props },
      data: structuredClone(component.data),
      setData(patch: Record<string, unknown>) {
        Object.assign(instance.data, patch)
      },
    }
    component.didMount.call(instance)
    return {
      data: instance.data as unknown as AlipayChat['data'],
      tap: (method, event) => {
        const handler = component.methods[method]
        if (!handler) throw new Error(`the component has no method ${method}`)
        handler.call(instance, event)
      },
      unmount: () => component.didUnmount.call(instance),
    }
  }
}

/** The real server in its own process, the demo agent carol on a socket, and the Alipay chat mounted. */
export async function startAlipayHarness() {
  const { server, agent, stop } = await spawnServerWithDemoAgent()
  const my = new FakeMy()
  const mount = loadAlipayComponent(my)
  const chat = mount({ server: server.url })
  return {
    server,
    agent,
    my,
    chat,
    async stop() {
      chat.unmount()
      await stop()
    },
  }
}
