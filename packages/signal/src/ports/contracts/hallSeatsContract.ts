import { asUserId } from '@kefu/shared'
import { ManualClock } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import type { HallSeats } from '../HallSeats'

const user = (n: number) => asUserId(`u${n}`)
const alice = asUserId('s_alice')

/**
 * What every `HallSeats` must do; `open` gives two handles on one set of seats (two nodes) of
 * shards holding `capacity` people each, on `clock`.
 */
export function describeHallSeatsContract(
  name: string,
  open: (capacity: number, clock: ManualClock) => Promise<{ here: HallSeats; there: HallSeats }>,
): void {
  describe(`${name} hall seats contract`, () => {
    it('fills one shard to its capacity before opening the next, whichever node seats people', async () => {
      const clock = new ManualClock(0)
      const { here, there } = await open(3, clock)
      const shards = []
      for (const n of [1, 2, 3, 4, 5]) shards.push(await (n % 2 === 0 ? there : here).place(user(n)))
      expect(shards).toEqual([1, 1, 1, 2, 2])
      expect(await there.place(user(1))).toBe(1)
      await here.joined(1, user(2), 'PA_2')
      clock.advance(1)
      await there.left(1, user(2), 'PA_2')
      expect(await here.place(user(6))).toBe(1)
    })

    it('puts a customer in their agent’s shard while it has room', async () => {
      const { here, there } = await open(2, new ManualClock(0))
      await here.place(user(1))
      expect(await here.place(alice)).toBe(1)
      expect(await there.place(user(2), alice)).toBe(2)
      const bob = asUserId('s_bob')
      expect(await there.place(bob)).toBe(2)
      expect(await here.place(user(3), bob)).toBe(3)
    })

    it('keeps in the hall someone whose new connection is heard joining before the old one leaving', async () => {
      const { here, there } = await open(5, new ManualClock(0))
      await here.place(alice)
      await here.joined(1, alice, 'PA_first')
      // LiveKit reconnected her: the new connection's join, then the old one's leave.
      await there.joined(1, alice, 'PA_second')
      await here.left(1, alice, 'PA_first')
      expect(await there.isInHall(alice)).toBe(true)
      await there.left(1, alice, 'PA_second')
      expect(await here.isInHall(alice)).toBe(false)
    })

    it('takes a join heard after its own leave for the past it is', async () => {
      const { here, there } = await open(5, new ManualClock(0))
      await here.left(1, alice, 'PA_brief')
      await there.joined(1, alice, 'PA_brief')
      expect(await here.isInHall(alice)).toBe(false)
    })

    it('frees a seat whose token was never used', async () => {
      const clock = new ManualClock(0)
      const { here, there } = await open(1, clock)
      await here.place(user(1))
      expect(await there.place(user(2))).toBe(2)
      clock.advance(61_000)
      expect(await here.place(user(3))).toBe(1)
    })
  })
}
