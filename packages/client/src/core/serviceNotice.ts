import type { ServiceNotice } from '@kefu/shared'
import type { Locale } from './i18n'

/**
 * The banner an emergency playbook puts on every screen, in the reader's language; undefined while
 * the service runs normally. One rule for the widget, the console and the mini-programs.
 */
export function noticeBanner(notice: ServiceNotice | undefined, locale: Locale): string | undefined {
  if (!notice) return undefined
  return locale === 'en' ? notice.banner.en : notice.banner.zh
}
