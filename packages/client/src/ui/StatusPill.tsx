import type { SessionStatus } from '@kefu/shared'
import { t } from '../platform/web/webLocale'

/** The connection state, always visible so nobody wonders whether a message went out. */
export function StatusPill({ status }: { status: SessionStatus }) {
  return (
    <span className={`pill ${status}`} data-testid="status">
      {t(`status.${status}`)}
    </span>
  )
}
