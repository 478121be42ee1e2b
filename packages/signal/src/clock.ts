import type { Cancel, Clock } from '@kefu/shared'

/** The real clock; timers are unref'd so they never keep a stopping process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    timer.unref()
    return () => clearTimeout(timer)
  },
}

/**
 * Runs `tick` every `intervalMs` on `clock`, the next run scheduled once this one has settled (a
 * slow tick delays the next instead of piling up). The tick's promise goes back to the clock, so a
 * manual clock can wait for the work it started. Returns the function that stops it.
 */
export function repeatEvery(clock: Clock, intervalMs: number, tick: () => void | Promise<void>): Cancel {
  let stopped = false
  let cancelTimer: Cancel = () => {}
  const run = async () => {
    try {
      await tick()
    } finally {
      if (!stopped) cancelTimer = clock.setTimeout(run, intervalMs)
    }
  }
  cancelTimer = clock.setTimeout(run, intervalMs)
  return () => {
    stopped = true
    cancelTimer()
  }
}
