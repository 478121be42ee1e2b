import { describe, expect, it } from 'vitest'
import type { LoginAttempts } from '../LoginAttempts'

/** What every `LoginAttempts` must do; `open` gives two handles on one store (two nodes). */
export function describeLoginAttemptsContract(
  name: string,
  open: () => Promise<{ here: LoginAttempts; there: LoginAttempts }>,
): void {
  describe(`${name} login attempts contract`, () => {
    it('counts the failures of one login made through either handle, and knows no other login', async () => {
      const { here, there } = await open()
      await here.failed('ada', 1_000)
      await there.failed('ada', 2_000)
      await Promise.all([here.failed('ada', 3_000), there.failed('ada', 3_000)])
      expect(await here.read('ada')).toEqual({ failures: 4, lastFailedAt: 3_000, trusted: [] })
      expect(await there.read('grace')).toBeUndefined()
    })

    it('clears the failures on a success and keeps the latest addresses first, each once', async () => {
      const { here, there } = await open()
      await here.failed('ada', 1_000)
      for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.3'])
        await (address === '10.0.0.2' ? there : here).succeeded('ada', address, 2)
      expect(await there.read('ada')).toEqual({
        failures: 0,
        lastFailedAt: 0,
        trusted: ['10.0.0.3', '10.0.0.1'],
      })
      await there.failed('ada', 5_000)
      expect(await here.read('ada')).toEqual({
        failures: 1,
        lastFailedAt: 5_000,
        trusted: ['10.0.0.3', '10.0.0.1'],
      })
    })
  })
}
