// The WeChat build of <kefu-chat>: the only file that pairs the chat with WeChat's Component().

import type { ChatView } from '../miniprogram/chatController'
import { type ChatHost, createKefuChat, INITIAL_VIEW } from '../miniprogram/kefuChat'
import { wechatPlatform } from '../platform/wechat/wxPlatform'

declare function Component(options: object): void
declare const wx: { navigateTo(options: { url: string }): void }
interface WechatInstance extends ChatHost {
  data: { draft: string; recording: boolean; view: ChatView }
  properties: { server: string; profile: string; signature: string; lang: string; nativeOnly: boolean }
}
type Tap = {
  currentTarget: { dataset: { url?: string; text?: string; cid?: string; score?: number | string } }
}

const chat = createKefuChat(wechatPlatform())

Component({
  properties: {
    server: { type: String, value: '' },
    profile: { type: String, value: '' },
    signature: { type: String, value: '' },
    /** The integrator's choice of language ("zh-CN", "en"); the phone's language otherwise. */
    lang: { type: String, value: '' },
    /** The integrator prefers WeChat's own customer-service chat. */
    nativeOnly: { type: Boolean, value: false },
    /** One-tap answers offered above the input, e.g. ["查询订单", "退换货"]. */
    quickReplies: { type: Array, value: [] },
  },
  data: { view: INITIAL_VIEW, draft: '', fallback: false, lastId: '', recording: false, notice: '' },
  lifetimes: {
    attached(this: WechatInstance) {
      const { server, profile, signature, lang, nativeOnly } = this.properties
      chat.start(
        this,
        { server, profile: profile || undefined, signature: signature || undefined, lang: lang || undefined },
        nativeOnly,
      )
    },
    detached(this: WechatInstance) {
      chat.stop(this)
    },
  },
  pageLifetimes: {
    show(this: WechatInstance) {
      chat.shown(this)
    },
  },
  methods: {
    onInput(this: WechatInstance, event: { detail: { value: string } }) {
      chat.input(this, event.detail.value)
    },
    onSend(this: WechatInstance) {
      chat.send(this)
    },
    onPickImage(this: WechatInstance) {
      chat.pickImage(this)
    },
    onVoiceTap(this: WechatInstance) {
      chat.toggleVoice(this)
    },
    onCallTap(this: WechatInstance) {
      chat.toggleCall(this)
    },
    onLoadOlder(this: WechatInstance) {
      chat.loadOlder(this)
    },
    onPlay(this: WechatInstance, event: Tap) {
      chat.play(this, event.currentTarget.dataset.url ?? '')
    },
    onPreview(this: WechatInstance, event: Tap) {
      chat.preview(this, event.currentTarget.dataset.url ?? '')
    },
    onRetry(this: WechatInstance, event: Tap) {
      chat.retry(this, event.currentTarget.dataset.cid ?? '')
    },
    onDiscard(this: WechatInstance, event: Tap) {
      chat.discard(this, event.currentTarget.dataset.cid ?? '')
    },
    // The hall is a subpackage page: WeChat downloads it the first time someone steps in.
    onEnterHall(this: WechatInstance) {
      const url = `/packages/hall/pages/hall/index?server=${encodeURIComponent(this.properties.server)}`
      void chat.leaveForHall(this).then(() => wx.navigateTo({ url }))
    },
    onRate(this: WechatInstance, event: Tap) {
      chat.rate(this, Number(event.currentTarget.dataset.score))
    },
    onQuickReply(this: WechatInstance, event: Tap) {
      chat.quickReply(this, event.currentTarget.dataset.text ?? '')
    },
  },
})
