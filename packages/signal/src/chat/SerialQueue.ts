/**
 * Runs async work one at a time, in the order it was given. When nothing is waiting (the usual
 * case) the work starts at once, without a hop through the microtask queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> | undefined

  /** `onIdle` runs when this work finishes with nothing queued behind it. */
  run<T>(work: () => Promise<T>, onIdle?: () => void): Promise<T> {
    const result = this.tail ? this.tail.then(work, work) : work()
    const settled = () => {
      if (this.tail !== tail) return
      this.tail = undefined
      onIdle?.()
    }
    const tail = result.then(settled, settled)
    this.tail = tail
    return result
  }
}
