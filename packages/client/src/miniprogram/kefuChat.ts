import { disableCodeGeneration } from '@kefu/shared'
import { pickLocale } from '../core/i18n'
import type { MiniPlatform } from '../platform/mini/MiniPlatform'
import { ChatController, type ChatIdentity, type ChatView } from './chatController'

/** What the component's view starts with, before the first connection. */
export const INITIAL_VIEW: ChatView = {
  status: 'connecting',
  headline: '正在连接…',
  banner: '',
  messages: [],
  isTyping: false,
  canSend: false,
  canCall: false,
  call: 'idle',
  hasOlder: false,
  askRating: false,
}

/** The parts of a component instance the chat touches; WeChat and Alipay both provide these. */
export interface ChatHost {
  data: { draft: string }
  setData(patch: Record<string, unknown>): void
}

const controllers = new WeakMap<object, ChatController>()
const TYPING_IDLE_MS = 2500
const typingTimers = new WeakMap<object, ReturnType<typeof setTimeout>>()

/**
 * The `<kefu-chat>` component's behaviour, shared by both platforms' component definitions.
 * A server that cannot be reached turns on the native customer-service button, so nobody is stranded.
 */
export function createKefuChat(platform: MiniPlatform) {
  disableCodeGeneration()
  return {
    start(host: ChatHost, identity: ChatIdentity, preferNative: boolean): void {
      host.setData({ view: INITIAL_VIEW, draft: '', fallback: preferNative, recording: false, notice: '' })
      if (preferNative || !identity.server) return
      const locale = pickLocale([identity.lang, platform.systemLanguage()])
      const controller = new ChatController(platform, locale, (view) => {
        scrollTo(host, view)
        host.setData({ view })
      })
      controllers.set(host, controller)
      controller.start(identity).catch(() => {
        host.setData({
          fallback: true,
          view: { ...INITIAL_VIEW, status: 'offline', headline: '在线客服暂时无法连接' },
        })
      })
    },
    stop(host: ChatHost): void {
      controllers.get(host)?.stop()
      controllers.delete(host)
    },
    input(host: ChatHost, value: string): void {
      host.setData({ draft: value })
      const controller = controllers.get(host)
      if (!controller) return
      if (!typingTimers.has(host)) controller.setTyping(true)
      clearTimeout(typingTimers.get(host))
      typingTimers.set(
        host,
        setTimeout(() => {
          typingTimers.delete(host)
          controller.setTyping(false)
        }, TYPING_IDLE_MS),
      )
    },
    pickImage(host: ChatHost): void {
      controllers
        .get(host)
        ?.sendImage()
        .catch(() => host.setData({ notice: '图片发送失败，请重试' }))
    },
    /** One button: the first tap starts recording, the second sends the voice note. */
    toggleVoice(host: ChatHost & { data: { recording: boolean } }): void {
      const controller = controllers.get(host)
      if (!controller) return
      if (!host.data.recording) {
        controller.startVoiceNote()
        host.setData({ recording: true })
        return
      }
      host.setData({ recording: false })
      controller.finishVoiceNote().catch(() => host.setData({ notice: '语音发送失败，请重试' }))
    },
    loadOlder(host: ChatHost): void {
      controllers
        .get(host)
        ?.loadOlder()
        .catch(() => host.setData({ notice: '加载失败，请重试' }))
    },
    toggleCall(host: ChatHost & { data: { view: ChatView } }): void {
      const controller = controllers.get(host)
      if (host.data.view.call === 'idle') controller?.startCall()
      else controller?.endCall()
    },
    /** Before the page goes to the hall: a call goes along. */
    leaveForHall(host: ChatHost): Promise<void> {
      return controllers.get(host)?.leaveForHall() ?? Promise.resolve()
    },
    /** The page is shown again (back from the hall): a call carried there goes on here. */
    shown(host: ChatHost): void {
      void controllers.get(host)?.resumeCarriedCall()
    },
    play(host: ChatHost, url: string): void {
      controllers.get(host)?.play(url)
    },
    preview(host: ChatHost, url: string): void {
      controllers.get(host)?.preview(url)
    },
    retry(host: ChatHost, cid: string): void {
      controllers.get(host)?.retry(cid)
    },
    discard(host: ChatHost, cid: string): void {
      controllers.get(host)?.discard(cid)
    },
    rate(host: ChatHost, score: number): void {
      controllers.get(host)?.rate(score)
    },
    quickReply(host: ChatHost, text: string): void {
      controllers.get(host)?.send(text)
    },
    send(host: ChatHost): void {
      const text = host.data.draft
      if (!text.trim()) return
      controllers.get(host)?.send(text)
      host.setData({ draft: '' })
    },
  }
}

function scrollTo(host: ChatHost, view: ChatView): void {
  if (view.messages.length > 0) host.setData({ lastId: `m${view.messages.length - 1}` })
}
