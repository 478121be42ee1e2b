import type { Bus, BusHandler } from '../ports/Bus'
import type { RedisLink } from './RedisLink'

// Connection ids hold no line break, so the first one ends the origin.
const ORIGIN_END = '\n'

/**
 * Fan-out between nodes over Redis pub/sub. Pub/sub, not streams: every message is stored before it
 * is published and a recipient fills any gap from its cursor on the next sync, so the bus needs
 * no memory of its own; pub/sub adds one hop and nothing to trim. One command connection per node
 * keeps each node's publishes in order.
 */
export class RedisBus implements Bus {
  constructor(private readonly link: RedisLink) {}

  publish(topic: string, payload: string, origin?: string): void {
    this.link.publish(`bus:${topic}`, `${origin ?? ''}${ORIGIN_END}${payload}`)
  }

  get reachable(): boolean {
    return this.link.ready
  }

  subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    return this.link.subscribe(`bus:${topic}`, (message) => {
      const end = message.indexOf(ORIGIN_END)
      handler(message.slice(end + 1), end > 0 ? message.slice(0, end) : undefined)
    })
  }
}
