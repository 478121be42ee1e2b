import { SerialQueue } from '../chat/SerialQueue'
import type { Locks } from '../ports/Locks'

/**
 * Runs async work one at a time per key (a conversation, a customer) on one node, so two devices or two
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
