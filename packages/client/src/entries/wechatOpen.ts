// kefu.open({profile, signature}): one call from anywhere in the integrator's mini-program.
import { kefuPageUrl } from '../miniprogram/kefuPage'

declare const wx: { navigateTo(options: { url: string }): void }

/** Opens the customer-service page; pass the profile and signature from your backend, or nothing for a guest. */
export function open(options: { profile?: string; signature?: string } = {}): void {
  wx.navigateTo({ url: kefuPageUrl(options) })
}
