import type { Locks } from '../ports/Locks'

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

/**
 * Runs async work one at a time per key (a conversation, a customer), so two devices or two
 * agents acting at once cannot interleave a read-modify-write of the same conversation.
 */
export class KeyedLock implements Locks {
  private readonly queues = new Map<string, SerialQueue>()

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(key)
    if (!queue) {
      queue = new SerialQueue()
      this.queues.set(key, queue)
    }
    return queue.run(work, () => this.queues.delete(key))
  }
}
