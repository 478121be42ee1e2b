// The Alipay build of <kefu-chat>: Alipay's Component() names its lifecycle and props differently.

import type { ChatView } from '../miniprogram/chatController'
import { type ChatHost, createKefuChat, INITIAL_VIEW } from '../miniprogram/kefuChat'
import { alipayPlatform } from '../platform/alipay/myPlatform'

declare function Component(options: object): void
interface AlipayInstance extends ChatHost {
  data: { draft: string; recording: boolean; view: ChatView }
  props: { server: string; profile: string; signature: string; lang: string; quickReplies: string[] }
}
type Tap = {
  currentTarget: { dataset: { url?: string; text?: string; cid?: string; score?: number | string } }
}

const chat = createKefuChat(alipayPlatform())

Component({
  props: { server: '', profile: '', signature: '', lang: '', quickReplies: [] },
  data: { view: INITIAL_VIEW, draft: '', fallback: false, lastId: '', recording: false, notice: '' },
  didMount(this: AlipayInstance) {
    const { server, profile, signature, lang } = this.props
    chat.start(
      this,
      { server, profile: profile || undefined, signature: signature || undefined, lang: lang || undefined },
      false,
    )
  },
  didUnmount(this: AlipayInstance) {
    chat.stop(this)
  },
  methods: {
    onInput(this: AlipayInstance, event: { detail: { value: string } }) {
      chat.input(this, event.detail.value)
    },
    onSend(this: AlipayInstance) {
      chat.send(this)
    },
    onPickImage(this: AlipayInstance) {
      chat.pickImage(this)
    },
    onVoiceTap(this: AlipayInstance) {
      chat.toggleVoice(this)
    },
    onCallTap(this: AlipayInstance) {
      chat.toggleCall(this)
    },
    onLoadOlder(this: AlipayInstance) {
      chat.loadOlder(this)
    },
    onPlay(this: AlipayInstance, event: Tap) {
      chat.play(this, event.currentTarget.dataset.url ?? '')
    },
    onPreview(this: AlipayInstance, event: Tap) {
      chat.preview(this, event.currentTarget.dataset.url ?? '')
    },
    onRetry(this: AlipayInstance, event: Tap) {
      chat.retry(this, event.currentTarget.dataset.cid ?? '')
    },
    onDiscard(this: AlipayInstance, event: Tap) {
      chat.discard(this, event.currentTarget.dataset.cid ?? '')
    },
    onRate(this: AlipayInstance, event: Tap) {
      chat.rate(this, Number(event.currentTarget.dataset.score))
    },
    onQuickReply(this: AlipayInstance, event: Tap) {
      chat.quickReply(this, event.currentTarget.dataset.text ?? '')
    },
  },
})
