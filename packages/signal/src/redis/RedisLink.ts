import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'

/** A Lua script run atomically inside Redis, sent by digest once Redis has seen it. */
export class LuaScript {
  readonly sha: string
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }
}

type ChannelHandler = (message: string) => void

/**
 * One node's two connections to the cluster's Redis: commands (auto-pipelined, so what one node
 * sends in one tick is one write, in order) and a subscriber (a subscribed connection can do
 * nothing else). Every key and channel is under `namespace`, so several deployments, or the tests'
 * clusters, can share one Redis. ioredis reconnects by itself and subscribes again after.
 */
export class RedisLink {
  readonly commands: Redis
  private readonly subscriber: Redis
  private readonly handlers = new Map<string, Set<ChannelHandler>>()
  private readonly subscribed = new Map<string, Promise<unknown>>()

  constructor(
    url: string,
    readonly namespace: string,
    /** This node's name in the cluster, unique per running process. */
    readonly nodeId: string,
  ) {
    // Commands fail at once while Redis is away (the caller answers `unavailable`), not queued for ever.
    const options = { enableAutoPipelining: true, maxRetriesPerRequest: 1, lazyConnect: true }
    this.commands = new Redis(url, options)
    this.subscriber = new Redis(url, { ...options, enableAutoPipelining: false, maxRetriesPerRequest: null })
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message)
    })
    // A link that lost Redis says so through `ready`; ioredis keeps retrying meanwhile.
    for (const connection of [this.commands, this.subscriber]) connection.on('error', () => {})
  }

  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()])
  }

  /**
   * Calls `handler` each time the subscriber is back after losing Redis (not at the first connect):
   * what was published meanwhile did not arrive. Returns the function that stops it.
   */
  onRecovered(handler: () => void): () => void {
    // 'ready' follows every connect; the first one came before anyone could ask.
    this.subscriber.on('ready', handler)
    return () => this.subscriber.off('ready', handler)
  }

  /** True while both connections are up: `/readyz` reports it. */
  get ready(): boolean {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready'
  }

  key(name: string): string {
    return `${this.namespace}:${name}`
  }

  publish(channel: string, message: string): void {
    this.commands.publish(this.key(channel), message).catch(() => {
      // A publish lost while Redis is away is fetched again by the recipient's sync.
    })
  }

  /** Resolves once Redis acknowledged the subscription, so what is published from now on arrives. */
  async subscribe(channel: string, handler: ChannelHandler): Promise<() => void> {
    const name = this.key(channel)
    let handlers = this.handlers.get(name)
    if (!handlers) {
      handlers = new Set()
      this.handlers.set(name, handlers)
      this.subscribed.set(name, this.subscriber.subscribe(name))
    }
    handlers.add(handler)
    await this.subscribed.get(name)
    return () => {
      handlers.delete(handler)
      if (handlers.size > 0 || this.handlers.get(name) !== handlers) return
      this.handlers.delete(name)
      this.subscribed.delete(name)
      this.subscriber.unsubscribe(name).catch(() => {})
    }
  }

  async run(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const fullKeys = keys.map((name) => this.key(name))
    try {
      return await this.commands.evalsha(script.sha, fullKeys.length, ...fullKeys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return this.commands.eval(script.source, fullKeys.length, ...fullKeys, ...args)
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.commands.quit(), this.subscriber.quit()].map((closing) => closing.catch(() => {})),
    )
  }

  /** Drops both connections without a word, as a node that dies does (for tests of what survives it). */
  abandon(): void {
    this.commands.disconnect()
    this.subscriber.disconnect()
  }
}
