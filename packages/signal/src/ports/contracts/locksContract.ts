import { describe, expect, it } from 'vitest'
import type { Locks } from '../Locks'

/** What every `Locks` must do; `open` gives two handles on one lock service (two nodes). */
export function describeLocksContract(
  name: string,
  open: () => Promise<{ here: Locks; there: Locks }>,
): void {
  describe(`${name} locks contract`, () => {
    it('runs work under one key one at a time, in the order given, across handles', async () => {
      const { here, there } = await open()
      const steps: string[] = []
      let inside = 0
      const work = (label: string, locks: Locks) =>
        locks.run('conversation:1', async () => {
          inside++
          expect(inside).toBe(1)
          steps.push(`${label} in`)
          await Promise.resolve()
          steps.push(`${label} out`)
          inside--
          return label
        })
      const results = await Promise.all([work('a', here), work('b', there), work('c', here)])
      expect(results).toEqual(['a', 'b', 'c'])
      expect(steps).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out'])
    })

    it('lets other keys run meanwhile, and frees the key when work fails', async () => {
      const { here, there } = await open()
      let release: () => void = () => {}
      const holding = here.run('conversation:1', () => new Promise<void>((resolve) => (release = resolve)))
      expect(await there.run('conversation:2', async () => 'other key')).toBe('other key')
      release()
      await holding
      await expect(here.run('conversation:1', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      )
      expect(await there.run('conversation:1', async () => 'free again')).toBe('free again')
    })
  })
}
