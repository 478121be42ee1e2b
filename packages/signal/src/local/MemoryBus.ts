import type { Bus, BusHandler } from '../ports/Bus'

/** The single-node bus: topics are just sets of handlers in this process. */
export class MemoryBus implements Bus {
  private readonly handlers = new Map<string, Set<BusHandler>>()
  readonly reachable = true

  publish(topic: string, payload: string, origin?: string): void {
    const handlers = this.handlers.get(topic)
    if (!handlers) return
    for (const handler of handlers) handler(payload, origin)
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    let handlers = this.handlers.get(topic)
    if (!handlers) {
      handlers = new Set()
      this.handlers.set(topic, handlers)
    }
    handlers.add(handler)
    return () => {
      handlers.delete(handler)
      if (handlers.size === 0) this.handlers.delete(topic)
    }
  }
}
