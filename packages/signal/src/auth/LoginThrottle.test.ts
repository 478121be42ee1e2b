import { ManualClock } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import { LocalLoginAttempts } from '../local/LocalLoginAttempts'
import { LoginThrottle } from './LoginThrottle'

const GUESSER = '203.0.113.9'
const DESK = '10.0.0.7'

// Two nodes' throttles over one shared store of attempts, as behind a load balancer.
function twoNodes() {
  const clock = new ManualClock(Date.UTC(2026, 11, 7))
  const attempts = new LocalLoginAttempts()
  return {
    clock,
    here: new LoginThrottle(attempts, clock.now),
    there: new LoginThrottle(attempts, clock.now),
  }
}

describe('LoginThrottle', () => {
  it('pauses a login guessed at through two nodes once five failures add up, doubling the pause', async () => {
    const { clock, here, there } = twoNodes()
    for (let failure = 0; failure < 5; failure++) {
      await (failure % 2 === 0 ? here : there).check('ada', GUESSER)
      await (failure % 2 === 0 ? here : there).failed('ada')
    }
    await expect(there.check('ada', GUESSER)).rejects.toMatchObject({ code: 'rate_limited' })
    await expect(here.check('ada', GUESSER)).rejects.toMatchObject({ code: 'rate_limited' })
    clock.advance(30_000)
    await here.check('ada', GUESSER)
    await here.failed('ada')
    clock.advance(30_000)
    // The sixth failure pauses for 60 s, counted from it.
    await expect(there.check('ada', GUESSER)).rejects.toThrow(/try again in 30 s/)
  })

  it('never pauses the address the account last signed in from, nor another login', async () => {
    const { here, there } = twoNodes()
    await here.succeeded('ada', DESK)
    for (let failure = 0; failure < 7; failure++) await there.failed('ada')
    await there.check('ada', DESK)
    await here.check('grace', GUESSER)
    await expect(here.check('ada', GUESSER)).rejects.toMatchObject({ code: 'rate_limited' })
    await there.succeeded('ada', DESK)
    await here.check('ada', GUESSER)
  })
})
