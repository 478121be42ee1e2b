// The WeChat build of <kefu-chat>: the only file that pairs the chat with WeChat's Component().
import { wechatPlatform } from '../platform/wechat/wxPlatform'
import { type ChatHost, createKefuChat, INITIAL_VIEW } from './kefuChat'

declare function Component(options: object): void
interface WechatInstance extends ChatHost {
  properties: { server: string; profile: string; signature: string; nativeOnly: boolean }
}

const chat = createKefuChat(wechatPlatform())

Component({
  properties: {
    server: { type: String, value: '' },
    profile: { type: String, value: '' },
    signature: { type: String, value: '' },
    /** The integrator prefers WeChat's own customer-service chat. */
    nativeOnly: { type: Boolean, value: false },
  },
  data: { view: INITIAL_VIEW, draft: '', fallback: false, lastId: '' },
  lifetimes: {
    attached(this: WechatInstance) {
      const { server, profile, signature, nativeOnly } = this.properties
      chat.start(
        this,
        { server, profile: profile || undefined, signature: signature || undefined },
        nativeOnly,
      )
    },
    detached(this: WechatInstance) {
      chat.stop(this)
    },
  },
  methods: {
    onInput(this: WechatInstance, event: { detail: { value: string } }) {
      chat.input(this, event.detail.value)
    },
    onSend(this: WechatInstance) {
      chat.send(this)
    },
  },
})
