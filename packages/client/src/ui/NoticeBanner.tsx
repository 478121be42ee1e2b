import type { ServiceNotice } from '@kefu/shared'
import type { Locale } from '../core/i18n'
import { noticeBanner } from '../core/serviceNotice'

/** The service-wide notice (an emergency playbook's banner) across the top of a chat or console. */
export function NoticeBanner({ notice, locale }: { notice: ServiceNotice | undefined; locale: Locale }) {
  const text = noticeBanner(notice, locale)
  if (!text) return null
  return (
    <div className="service-notice" role="status" data-testid="service-notice">
      <span aria-hidden="true">⚠</span> {text}
    </div>
  )
}
