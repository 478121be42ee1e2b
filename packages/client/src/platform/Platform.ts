import type { Channel, Clock, IdSource, KeyValueStore, Transport } from '@kefu/shared'

/**
 * What every client target gives the chat core: the web page, the WeChat and the Alipay
 * mini-program each implement it once (`platform/web`, `platform/wechat`, `platform/alipay`), and
 * an entry file picks one. The 3D hall adds its canvas and input here.
 */
export interface Platform {
  /** Where the customer is, as conversations opened here say. */
  channel: Channel
  connectSocket(url: string): Transport
  storage: KeyValueStore
  /** The person's language as the platform reports it ("zh_CN", "en-US"), if it does. */
  systemLanguage(): string | undefined
  clock: Clock
  ids: IdSource
}
