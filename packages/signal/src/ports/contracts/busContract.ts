import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Bus } from '../Bus'

/**
 * What every `Bus` must do; `open` gives two handles on one bus (two nodes of a cluster, or the
 * same in-process bus twice), so a payload published at one must reach subscribers at the other.
 */
export function describeBusContract(
  name: string,
  open: () => Promise<{ here: Bus; there: Bus; close(): Promise<void> }>,
): void {
  describe(`${name} bus contract`, () => {
    let buses: Awaited<ReturnType<typeof open>>
    beforeEach(async () => {
      buses = await open()
    })
    afterEach(() => buses.close())

    it('delivers to every subscriber of the topic, on either handle, with the origin', async () => {
      const atHere: [string, string | undefined][] = []
      const atThere: [string, string | undefined][] = []
      await buses.here.subscribe('user:ada', (payload, origin) => atHere.push([payload, origin]))
      await buses.there.subscribe('user:ada', (payload, origin) => atThere.push([payload, origin]))
      buses.here.publish('user:ada', 'hello', 'conn-1')
      await expect.poll(() => atHere.length).toBe(1)
      await expect.poll(() => atThere.length).toBe(1)
      expect(atHere).toEqual([['hello', 'conn-1']])
      expect(atThere).toEqual([['hello', 'conn-1']])
    })

    it('keeps one publisher’s payloads in order and other topics out', async () => {
      const received: string[] = []
      await buses.there.subscribe('team:general', (payload) => received.push(payload))
      for (let n = 0; n < 50; n++)
        buses.here.publish(n % 5 === 0 ? 'team:premium' : 'team:general', String(n))
      await expect.poll(() => received.length).toBe(40)
      expect(received).toEqual(
        Array.from({ length: 50 }, (_, n) => n)
          .filter((n) => n % 5 !== 0)
          .map(String),
      )
    })

    it('stops delivering to a handler once it unsubscribed, and to that handler only', async () => {
      const kept: string[] = []
      const dropped: string[] = []
      await buses.there.subscribe('service', (payload) => kept.push(payload))
      const unsubscribe = await buses.there.subscribe('service', (payload) => dropped.push(payload))
      buses.here.publish('service', 'first')
      await expect.poll(() => kept.length).toBe(1)
      await expect.poll(() => dropped.length).toBe(1)
      unsubscribe()
      buses.here.publish('service', 'second')
      await expect.poll(() => kept.length).toBe(2)
      expect(kept).toEqual(['first', 'second'])
      expect(dropped).toEqual(['first'])
    })
  })
}
