// kefu.open({profile, signature}) for Alipay: the same one call as on WeChat.
declare const my: { navigateTo(options: { url: string }): void }

/** Opens the customer-service page; pass the profile and signature from your backend, or nothing for a guest. */
export function open(options: { profile?: string; signature?: string } = {}): void {
  const query = Object.entries(options)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&')
  my.navigateTo({ url: `/pages/kefu/index${query ? `?${query}` : ''}` })
}
