import type { DashboardSnapshot } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { type LiveSession, useSessionState } from '../state/useChatSession'

/**
 * The supervisor's dashboard as the server pushes it (at most once a second, on change), watched
 * again after every reconnect.
 */
export function useQualityFeed(live: LiveSession, windowMs: number): DashboardSnapshot | undefined {
  const [snapshot, setSnapshot] = useState<DashboardSnapshot>()
  const status = useSessionState(live, (state) => state.status)
  const { session } = live
  useEffect(
    () =>
      session.onFrame((frame) => {
        if (frame.t === 'quality.snapshot') setSnapshot(frame.snapshot)
      }),
    [session],
  )
  useEffect(() => {
    if (status !== 'online') return
    session.sendFrame({ t: 'quality.watch', windowMs })
    return () => {
      session.sendFrame({ t: 'quality.unwatch' })
    }
  }, [session, status, windowMs])
  return snapshot
}
