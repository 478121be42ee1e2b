// kefu.open({profile, signature}): one call from anywhere in the integrator's mini-program.
declare const wx: { navigateTo(options: { url: string }): void }

/** Opens the customer-service page; pass the profile and signature from your backend, or nothing for a guest. */
export function open(options: { profile?: string; signature?: string } = {}): void {
  const query = Object.entries(options)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&')
  wx.navigateTo({ url: `/pages/kefu/index${query ? `?${query}` : ''}` })
}
