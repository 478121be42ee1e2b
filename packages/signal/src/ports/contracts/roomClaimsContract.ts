import { describe, expect, it } from 'vitest'
import type { RoomClaims } from '../RoomClaims'

/** What every `RoomClaims` must do; `open` gives two handles (two nodes) on one set of claims. */
export function describeRoomClaimsContract(
  name: string,
  open: () => Promise<{ here: RoomClaims; there: RoomClaims }>,
): void {
  describe(`${name} room claims contract`, () => {
    it('gives a room to one claimant at a time, and to another once released', async () => {
      const { here, there } = await open()
      const claims = await Promise.all([here.claim('voice-1'), there.claim('voice-1'), here.claim('voice-1')])
      expect(claims.filter(Boolean)).toHaveLength(1)
      expect(await there.claim('voice-2')).toBe(true)
      const holder = claims[1] ? there : here
      await holder.release('voice-1')
      expect(await (holder === here ? there : here).claim('voice-1')).toBe(true)
    })
  })
}
