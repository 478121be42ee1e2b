import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import simulate from 'miniprogram-simulate'
import { FakeWx } from './fakeWx'
import { spawnServerWithDemoAgent } from './spawnedServer'

/** The built WeChat project the simulator loads. */
export const WECHAT_DIST = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../packages/client/dist-mp/wechat',
)

/** A rendered `<kefu-chat>` as the tests read it. */
export interface RenderedChat {
  instance: {
    data: {
      draft: string
      recording: boolean
      view: {
        status: string
        headline: string
        canCall: boolean
        call: string
        askRating: boolean
        messages: { text: string; meta: string; mine: boolean; refused: string; voice: string }[]
      }
    }
  }
  /** Runs a page lifetime on the component, as WeChat does when its page is shown again. */
  triggerPageLifeTime(lifetime: 'show' | 'hide'): void
  querySelector(selector: string): { dispatchEvent(name: string, detail?: object): void }
  querySelectorAll(selector: string): { dispatchEvent(name: string, detail?: object): void }[]
  dom: { textContent: string }
  attach(parent: unknown): void
  detach(): void
}

/**
 * The real server (its own process: jsdom's globals would confuse its crypto in this realm), the demo
 * agent carol on a socket, a fake `wx` wired to real sockets and HTTP, and the built component rendered.
 */
export async function startMiniProgramHarness(env: Record<string, string> = {}) {
  const { server, agent, agentToken, stop } = await spawnServerWithDemoAgent(env)
  const wx = new FakeWx()
  const globals = globalThis as unknown as {
    wx?: Record<string, unknown>
    document: { createElement(tag: string): unknown }
  }
  globals.wx ??= {}
  wx.install(globals.wx)
  const componentId: string = simulate.load(join(WECHAT_DIST, 'components/kefu-chat/index'))
  const rendered: RenderedChat[] = []
  /** Renders another `<kefu-chat>` (another device of the same customer, or another server). */
  const render = (serverUrl = server.url): RenderedChat => {
    const chat = simulate.render(componentId, { server: serverUrl }) as unknown as RenderedChat
    chat.attach(globals.document.createElement('div'))
    rendered.push(chat)
    return chat
  }
  return {
    server,
    agent,
    agentToken,
    wx,
    page: render(),
    render,
    /**
     * Detaches every chat first: one still attached reacts to the server going away, and renders
     * after the test's DOM is gone.
     */
    async stop() {
      for (const chat of rendered.splice(0)) chat.detach()
      await stop()
    },
  }
}
