import { ManualClock } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import type { RateLimits } from '../RateLimits'

/** What every `RateLimits` must do; `open` gives two handles on one limiter (two nodes) on `clock`. */
export function describeRateLimitsContract(
  name: string,
  open: (clock: ManualClock) => Promise<{ here: RateLimits; there: RateLimits }>,
): void {
  describe(`${name} rate limits contract`, () => {
    it('gives a key its tokens across handles, refuses the next, and refills with time', async () => {
      const clock = new ManualClock(Date.UTC(2026, 11, 7))
      const { here, there } = await open(clock)
      const taken = []
      for (let i = 0; i < 4; i++) taken.push(await (i % 2 === 0 ? here : there).take('login:10.0.0.1', 3))
      expect(taken).toEqual([true, true, true, false])
      clock.advance(20_000)
      expect(await there.take('login:10.0.0.1', 3)).toBe(true)
      expect(await here.take('login:10.0.0.1', 3)).toBe(false)
    })

    it('keeps each key to its own bucket', async () => {
      const { here, there } = await open(new ManualClock(0))
      expect(await here.take('login:10.0.0.1', 1)).toBe(true)
      expect(await there.take('login:10.0.0.1', 1)).toBe(false)
      expect(await there.take('upload:ada', 1)).toBe(true)
      expect(await here.take('login:10.0.0.2', 1)).toBe(true)
    })
  })
}
