import { randomUUID } from 'node:crypto'
import type { Bus } from '../ports/Bus'
import type { LiveQuality, QualityChange } from './LiveQuality'

const TOPIC = 'quality'

/**
 * Carries what moves the live figures between a cluster's nodes, so every node counts what all of
 * them saw. Little travels: of the messages, only those that change a conversation's facts (its
 * lifecycle events, first customer message and first response), and of the counters, one batch per
 * node each time it stores them. One node's changes arrive in the order it published them, and a
 * reply is published after what it answers reached its writer, so a conversation's facts arrive in
 * order too. A node that starts reads the figures back from the store first; what is shared in the
 * moment between that read and its subscription is missing from it until the next restart.
 */
export class QualityShare {
  private readonly nodeId = randomUUID()

  constructor(private readonly bus: Bus) {}

  readonly publish = (change: QualityChange): void => {
    this.bus.publish(TOPIC, JSON.stringify(change), this.nodeId)
  }

  /** Applies what the other nodes share to `live`; resolves, once subscribed, to the unsubscribe. */
  follow(live: Pick<LiveQuality, 'apply'>): Promise<() => void> {
    return this.bus.subscribe(TOPIC, (payload, origin) => {
      if (origin !== this.nodeId) live.apply(JSON.parse(payload) as QualityChange)
    })
  }
}
