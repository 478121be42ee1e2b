import { asUserId } from '@kefu/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type PresenceStore, PresenceView } from '../Presence'

const ada = asUserId('ada')
const bo = asUserId('bo')

/** What every `PresenceStore` must do; `open` gives two handles on one store (two nodes). */
export function describePresenceContract(
  name: string,
  open: () => Promise<{ here: PresenceStore; there: PresenceStore; close(): Promise<void> }>,
): void {
  describe(`${name} presence contract`, () => {
    let stores: Awaited<ReturnType<typeof open>>
    beforeEach(async () => {
      stores = await open()
    })
    afterEach(() => stores.close())

    it('counts devices across handles: the first connect and the last disconnect are the changes', async () => {
      expect(await stores.here.connect(ada)).toBe(true)
      expect(await stores.there.connect(ada)).toBe(false)
      expect(await stores.there.devices(ada)).toBe(2)
      expect(await stores.here.disconnect(ada)).toBe(false)
      expect(await stores.there.disconnect(ada)).toBe(true)
      expect(await stores.here.devices(ada)).toBe(0)
    })

    it('a view lists who was online before it opened and follows every change after', async () => {
      await stores.here.connect(ada)
      const view = await PresenceView.of(stores.there)
      expect(view.isOnline(ada)).toBe(true)
      expect(view.isOnline(bo)).toBe(false)
      await stores.here.connect(bo)
      await stores.here.disconnect(ada)
      await expect.poll(() => [view.isOnline(ada), view.isOnline(bo)]).toEqual([false, true])
      view.stop()
    })

    it('a stopped watch hears nothing more', async () => {
      const heard: string[] = []
      const { stop } = await stores.there.watch((userId, online) => heard.push(`${userId}:${online}`))
      await stores.here.connect(ada)
      await expect.poll(() => heard).toEqual(['ada:true'])
      stop()
      await stores.here.disconnect(ada)
      await stores.here.connect(bo)
      // bo's arrival is seen by a second watch, so the first has had every chance to hear it too.
      const later: string[] = []
      const second = await stores.there.watch((userId) => later.push(userId))
      await stores.here.connect(asUserId('cy'))
      await expect.poll(() => later).toEqual(['cy'])
      second.stop()
      expect(heard).toEqual(['ada:true'])
    })
  })
}
