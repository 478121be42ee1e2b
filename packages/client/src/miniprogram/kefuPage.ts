/** The bundled customer-service page, with the customer's signed profile when there is one. */
export function kefuPageUrl(options: { profile?: string; signature?: string }): string {
  const query = Object.entries(options)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&')
  return `/pages/kefu/index${query ? `?${query}` : ''}`
}
