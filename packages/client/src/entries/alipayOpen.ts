// kefu.open({profile, signature}) for Alipay: the same one call as on WeChat.
import { kefuPageUrl } from '../miniprogram/kefuPage'

declare const my: { navigateTo(options: { url: string }): void }

/** Opens the customer-service page; pass the profile and signature from your backend, or nothing for a guest. */
export function open(options: { profile?: string; signature?: string } = {}): void {
  my.navigateTo({ url: kefuPageUrl(options) })
}
