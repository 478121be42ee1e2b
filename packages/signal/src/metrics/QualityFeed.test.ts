import { asTeamId, type DashboardSnapshot } from '@kefu/shared'
import { ManualClock } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import { QualityFeed } from './QualityFeed'

const BEAT_MS = 1000
const general = { teamIds: [asTeamId('general')], windowMs: 3_600_000 }
const premium = { teamIds: [asTeamId('premium')], windowMs: 3_600_000 }

/** A feed whose snapshots say how many conversations are waiting, as the test sets it. */
function feedOnManualClock() {
  const clock = new ManualClock(1_000_000)
  let waiting = 0
  const builds: string[] = []
  const feed = new QualityFeed(
    async (scope) => {
      builds.push(scope.teamIds.join(','))
      return { at: clock.now(), waiting } as unknown as DashboardSnapshot
    },
    BEAT_MS,
    (error) => expect.fail(String(error)),
    clock,
  )
  return { clock, feed, builds, setWaiting: (value: number) => (waiting = value) }
}

describe('the dashboards’ live feed, on a manual clock', () => {
  it('answers a new dashboard at once, then sends a beat only when its view changed', async () => {
    const { clock, feed, setWaiting } = feedOnManualClock()
    const sent: number[] = []
    feed.watch(general, (snapshot) => sent.push((snapshot as unknown as { waiting: number }).waiting))
    await clock.advanceAndSettle(0)
    expect(sent).toEqual([0])
    await clock.advanceAndSettle(BEAT_MS)
    expect(sent).toEqual([0])
    setWaiting(3)
    await clock.advanceAndSettle(BEAT_MS - 1)
    expect(sent).toEqual([0])
    await clock.advanceAndSettle(1)
    expect(sent).toEqual([0, 3])
  })

  it('builds one snapshot per scope per beat, however many watch it, and stops beating unwatched', async () => {
    const { clock, feed, builds, setWaiting } = feedOnManualClock()
    const stops = [
      feed.watch(general, () => {}),
      feed.watch(general, () => {}),
      feed.watch(premium, () => {}),
    ]
    await clock.advanceAndSettle(0)
    builds.length = 0
    setWaiting(1)
    await clock.advanceAndSettle(BEAT_MS)
    expect(builds.sort()).toEqual(['general', 'premium'])
    for (const stop of stops) stop()
    builds.length = 0
    await clock.advanceAndSettle(BEAT_MS)
    await clock.advanceAndSettle(BEAT_MS)
    expect(builds).toEqual([])
  })
})
