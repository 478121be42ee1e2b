import type { SessionStatus } from '@kefu/shared'

const LABEL: Record<SessionStatus, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline — messages will be sent when back',
}

/** The connection state, always visible so nobody wonders whether a message went out. */
export function StatusPill({ status }: { status: SessionStatus }) {
  return (
    <span className={`pill ${status}`} data-testid="status">
      {LABEL[status]}
    </span>
  )
}
