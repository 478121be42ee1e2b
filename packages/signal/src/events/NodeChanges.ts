import { randomUUID } from 'node:crypto'
import type { Bus } from '../ports/Bus'

/** What every node keeps a copy of, read from the store: the knowledge index, the playbook in force. */
export type NodeChange = 'knowledge' | 'playbook'

const TOPIC = 'node-changes'

/**
 * Tells the other nodes that this one changed what each of them keeps a copy of, so each reads it
 * again from the store. The change itself is in the store before it is announced; a node that
 * missed an announcement (started a moment later) read the store at its own start.
 */
export class NodeChanges {
  private readonly nodeId = randomUUID()

  constructor(private readonly bus: Bus) {}

  announce(change: NodeChange): void {
    this.bus.publish(TOPIC, change, this.nodeId)
  }

  /** Runs the handler of each change another node announces; resolves once they are heard. */
  follow(
    handlers: Record<NodeChange, () => Promise<void>>,
    onError: (change: NodeChange, error: unknown) => void,
  ): Promise<() => void> {
    return this.bus.subscribe(TOPIC, (payload, origin) => {
      if (origin === this.nodeId || !(payload in handlers)) return
      const change = payload as NodeChange
      handlers[change]().catch((error: unknown) => onError(change, error))
    })
  }
}
