import {
  type AgentSeat,
  type AgentStatus,
  type Assignment,
  type ConversationId,
  err,
  ok,
  type QueueEntry,
  type Result,
  Router,
  type RouterSnapshot,
  type RoutingConfig,
  type UserId,
} from '@kefu/shared'
import type { AgentLoad, QueueMove, RoutingState } from '../ports/RoutingState'
import { LuaScript, type RedisLink } from './RedisLink'

const STATE = 'routing:state'
const VERSION = 'routing:version'

interface SharedRouting {
  router: RouterSnapshot
  /** The place in line each waiting customer was last told. */
  told: [ConversationId, number][]
}

// ARGV: the version this node holds. Returns the version, and the state only if it is another one.
const READ = new LuaScript(`
local version = redis.call('GET', KEYS[1]) or '0'
if version == ARGV[1] then return { version } end
return { version, redis.call('GET', KEYS[2]) or '' }`)

// ARGV: the version read, the new state. Writes only if nobody wrote since that read.
const WRITE = new LuaScript(`
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], tostring(tonumber(ARGV[1]) + 1))
redis.call('SET', KEYS[2], ARGV[2])
return 1`)

/**
 * Routing for a cluster: the whole routing state (queue, agents' loads and statuses, the policy in
 * force) is one Redis value, and every change reads it, decides with @kefu/shared's `Router`, and
 * writes it back only if no node wrote in between, else decides again on what that node wrote.
 * So an assignment is atomic and the rules exist once, in `Router`, not again in a Redis script
 * (a Lua router would be a second copy to keep in step) nor in SQL (PostgreSQL row locks with
 * SKIP LOCKED suit a queue of rows, but routing weighs the whole queue against every agent).
 * Routing changes come at conversation starts and ends, not per message, so one value holds up:
 * the benchmark's thousands of customers make a value of a few hundred kilobytes at most.
 */
export class RedisRoutingState implements RoutingState {
  // The state as this node last read or wrote it: a read that finds the same version parses nothing.
  private known: { version: string; shared: SharedRouting; router: Router } | undefined
  private readonly waiting: PendingChange[] = []
  private writing = false

  constructor(
    private readonly link: RedisLink,
    private readonly initial: RoutingConfig,
  ) {}

  upsertAgent(seat: AgentSeat): Promise<void> {
    return this.change((router) => router.upsertAgent(seat))
  }

  setAgentStatus(agentId: UserId, status: AgentStatus): Promise<void> {
    return this.change((router) => router.setAgentStatus(agentId, status))
  }

  async agentStatus(agentId: UserId): Promise<AgentStatus | undefined> {
    return (await this.read()).router.agentStatus(agentId)
  }

  async load(agentId: UserId): Promise<number> {
    return (await this.read()).router.load(agentId)
  }

  async agents(): Promise<AgentLoad[]> {
    const { router } = await this.read()
    return router.agentIds().map((id) => ({
      id,
      status: router.agentStatus(id) ?? 'offline',
      load: router.load(id),
    }))
  }

  enqueue(entry: QueueEntry): Promise<number> {
    return this.change((router, told) => {
      router.enqueue(entry)
      const position = router.queuePosition(entry.conversationId) ?? 1
      told.set(entry.conversationId, position)
      return position
    })
  }

  reprioritize(conversationId: ConversationId, priority: number): Promise<boolean> {
    return this.change((router) => router.reprioritize(conversationId, priority))
  }

  reconfigure(config: RoutingConfig): Promise<void> {
    return this.change((router) => router.reconfigure(config))
  }

  assign(now: number): Promise<Assignment[]> {
    return this.change((router, told) => {
      const assignments = router.assign(now)
      for (const { conversationId } of assignments) told.delete(conversationId)
      return assignments
    })
  }

  attach(conversationId: ConversationId, agentId: UserId, capacity?: number): Promise<boolean> {
    return this.change((router, told) => {
      const alreadyTheirs = router.ownerOf(conversationId) === agentId
      if (capacity !== undefined && !alreadyTheirs && router.load(agentId) >= capacity) return false
      router.attach(conversationId, agentId)
      told.delete(conversationId)
      return true
    })
  }

  release(conversationId: ConversationId): Promise<void> {
    return this.change((router, told) => {
      router.release(conversationId)
      told.delete(conversationId)
    })
  }

  takeFromAgent(agentId: UserId): Promise<ConversationId[]> {
    return this.change((router) => router.takeFromAgent(agentId))
  }

  async queuePosition(conversationId: ConversationId): Promise<number | undefined> {
    return (await this.read()).router.queuePosition(conversationId)
  }

  async orderedQueue(): Promise<readonly QueueEntry[]> {
    return (await this.read()).router.orderedQueue()
  }

  takeQueueMoves(): Promise<QueueMove[]> {
    return this.change((router, told) => {
      const moves: QueueMove[] = []
      for (const [index, { conversationId }] of router.orderedQueue().entries()) {
        const position = index + 1
        if (told.get(conversationId) === position) continue
        told.set(conversationId, position)
        moves.push({ conversationId, position })
      }
      return moves
    })
  }

  /** The latest state, for reading only: the router returned is this node's copy, not to be changed. */
  private async read(): Promise<{ version: string; shared: SharedRouting; router: Router }> {
    const known = this.known
    const [version, stored] = (await this.link.run(READ, [VERSION, STATE], [known?.version ?? ''])) as [
      string,
      string | undefined,
    ]
    if (known && stored === undefined) return known
    const shared: SharedRouting = stored
      ? (JSON.parse(stored) as SharedRouting)
      : { router: new Router(this.initial).snapshot(), told: [] }
    this.known = { version, shared, router: Router.restore(shared.router) }
    return this.known
  }

  /**
   * Decides on the latest state and writes it back, deciding again if another node wrote first.
   * The changes asked for while a write is under way go together in the next one, so a burst of
   * conversation starts costs this node a few reads and writes of the value, not one each, and
   * its own changes never conflict with one another.
   */
  private change<T>(decide: Decision<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ decide, resolve: resolve as (outcome: unknown) => void, reject })
      if (!this.writing) void this.writeWaiting()
    })
  }

  private async writeWaiting(): Promise<void> {
    // Set and cleared with no await between the last check of `waiting` and the clearing.
    this.writing = true
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0)
      try {
        const outcomes = await this.decideAndWrite(batch)
        for (const [index, change] of batch.entries()) {
          const outcome = outcomes[index]
          if (outcome?.ok) change.resolve(outcome.value)
          else change.reject(outcome?.error)
        }
      } catch (error) {
        for (const change of batch) change.reject(error)
      }
    }
    this.writing = false
  }

  private async decideAndWrite(batch: readonly PendingChange[]): Promise<Result<unknown, unknown>[]> {
    for (;;) {
      const { version, shared: before } = await this.read()
      // Decided on a copy: if another node wrote first, this node's view stays what it read.
      const router = Router.restore(before.router)
      const told = new Map(before.told)
      // A decision that throws fails alone; Router's own changes never throw, so none is left half made.
      const outcomes = batch.map(({ decide }): Result<unknown, unknown> => {
        try {
          return ok(decide(router, told))
        } catch (error) {
          return err(error)
        }
      })
      const shared: SharedRouting = { router: router.snapshot(), told: [...told] }
      if ((await this.link.run(WRITE, [VERSION, STATE], [version, JSON.stringify(shared)])) === 1) {
        this.known = { version: String(Number(version) + 1), shared, router }
        return outcomes
      }
    }
  }
}

type Decision<T> = (router: Router, told: Map<ConversationId, number>) => T

interface PendingChange {
  decide: Decision<unknown>
  resolve: (outcome: unknown) => void
  reject: (error: unknown) => void
}
