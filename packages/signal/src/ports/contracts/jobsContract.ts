import { ManualClock } from '@kefu/shared/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Jobs } from '../Jobs'

/**
 * What every `Jobs` must do, on a clock the test moves: `open` gives two handles (two nodes) that
 * share one schedule, both running on `clock`.
 */
export function describeJobsContract(
  name: string,
  open: (clock: ManualClock) => Promise<{ here: Jobs; there: Jobs }>,
): void {
  describe(`${name} jobs contract`, () => {
    let clock: ManualClock
    let jobs: { here: Jobs; there: Jobs }
    const ran: string[] = []
    beforeEach(async () => {
      clock = new ManualClock(1_000_000)
      jobs = await open(clock)
      ran.length = 0
      for (const handle of [jobs.here, jobs.there])
        handle.define('grace', async (subject) => void ran.push(subject))
    })
    afterEach(() => {
      jobs.here.stop()
      jobs.there.stop()
    })

    it('runs a one-shot job once, when due, on one node only', async () => {
      await jobs.here.after('grace', 'agent-1', 30_000)
      await clock.advanceAndSettle(29_999)
      expect(ran).toEqual([])
      await clock.advanceAndSettle(1)
      expect(ran).toEqual(['agent-1'])
      await clock.advanceAndSettle(60_000)
      expect(ran).toEqual(['agent-1'])
    })

    it('a job cancelled (from either node) or replaced by a new one for the same subject runs at most once', async () => {
      await jobs.here.after('grace', 'agent-1', 30_000)
      await jobs.there.cancel('grace', 'agent-1')
      await jobs.here.after('grace', 'agent-2', 30_000)
      await jobs.there.after('grace', 'agent-2', 60_000)
      await clock.advanceAndSettle(30_000)
      expect(ran).toEqual([])
      await clock.advanceAndSettle(30_000)
      expect(ran).toEqual(['agent-2'])
    })

    it('runs a schedule every interval, the next run after the last one ended, until stopped', async () => {
      let runs = 0
      const stop = jobs.here.every('tick', 1_000, async () => void runs++)
      for (let beat = 0; beat < 3; beat++) await clock.advanceAndSettle(1_000)
      expect(runs).toBe(3)
      stop()
      await clock.advanceAndSettle(5_000)
      expect(runs).toBe(3)
    })

    it('keeps a schedule going after a run fails', async () => {
      let runs = 0
      jobs.here.every('flaky', 1_000, async () => {
        runs++
        throw new Error('the store is away')
      })
      await clock.advanceAndSettle(1_000)
      await clock.advanceAndSettle(1_000)
      expect(runs).toBe(2)
    })
  })
}
