// The Alipay build of <kefu-chat>: Alipay's Component() names its lifecycle and props differently.
import { alipayPlatform } from '../platform/alipay/myPlatform'
import { type ChatHost, createKefuChat, INITIAL_VIEW } from './kefuChat'

declare function Component(options: object): void
interface AlipayInstance extends ChatHost {
  props: { server: string; profile: string; signature: string }
}

const chat = createKefuChat(alipayPlatform())

Component({
  props: { server: '', profile: '', signature: '' },
  data: { view: INITIAL_VIEW, draft: '', fallback: false, lastId: '' },
  didMount(this: AlipayInstance) {
    const { server, profile, signature } = this.props
    chat.start(this, { server, profile: profile || undefined, signature: signature || undefined }, false)
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
  },
})
