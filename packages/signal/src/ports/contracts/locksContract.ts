import { describe, expect, it } from 'vitest'
import type { Locks } from '../Locks'

/** What every `Locks` must do; `open` gives two handles on one lock service (two nodes). */
export function describeLocksContract(
  name: string,
  open: () => Promise<{ here: Locks; there: Locks }>,
): void {
  describe(`${name} locks contract`, () => {
    // Across nodes there is no one order of calls to keep (no shared clock says which came first).
    it('runs work under one key one at a time across handles, in the order given on each', async () => {
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
      for (let step = 0; step < steps.length; step += 2)
        expect(steps[step + 1]).toBe(steps[step]?.replace(' in', ' out'))
      expect(steps.indexOf('a in')).toBeLessThan(steps.indexOf('c in'))
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
