import {
  type AgentSeat,
  type AgentStatus,
  type Assignment,
  type ConversationId,
  type QueueEntry,
  Router,
  type RoutingConfig,
  type UserId,
} from '@kefu/shared'
import type { AgentLoad, QueueMove, RoutingState } from '../ports/RoutingState'

/** Routing on one node: @kefu/shared's `Router` in this process's memory. */
export class LocalRoutingState implements RoutingState {
  private readonly router: Router
  private readonly toldPositions = new Map<ConversationId, number>()

  constructor(config: RoutingConfig) {
    this.router = new Router(config)
  }

  async upsertAgent(seat: AgentSeat): Promise<void> {
    this.router.upsertAgent(seat)
  }

  async setAgentStatus(agentId: UserId, status: AgentStatus): Promise<void> {
    this.router.setAgentStatus(agentId, status)
  }

  async agentStatus(agentId: UserId): Promise<AgentStatus | undefined> {
    return this.router.agentStatus(agentId)
  }

  async load(agentId: UserId): Promise<number> {
    return this.router.load(agentId)
  }

  async agents(): Promise<AgentLoad[]> {
    return this.router.agentIds().map((id) => ({
      id,
      status: this.router.agentStatus(id) ?? 'offline',
      load: this.router.load(id),
    }))
  }

  async enqueue(entry: QueueEntry): Promise<number> {
    this.router.enqueue(entry)
    const position = this.router.queuePosition(entry.conversationId) ?? 1
    this.toldPositions.set(entry.conversationId, position)
    return position
  }

  async reprioritize(conversationId: ConversationId, priority: number): Promise<boolean> {
    return this.router.reprioritize(conversationId, priority)
  }

  async reconfigure(config: RoutingConfig): Promise<void> {
    this.router.reconfigure(config)
  }

  async assign(now: number): Promise<Assignment[]> {
    const assignments = this.router.assign(now)
    for (const { conversationId } of assignments) this.toldPositions.delete(conversationId)
    return assignments
  }

  async attach(conversationId: ConversationId, agentId: UserId, capacity?: number): Promise<boolean> {
    const alreadyTheirs = this.router.ownerOf(conversationId) === agentId
    if (capacity !== undefined && !alreadyTheirs && this.router.load(agentId) >= capacity) return false
    this.router.attach(conversationId, agentId)
    this.toldPositions.delete(conversationId)
    return true
  }

  async release(conversationId: ConversationId): Promise<void> {
    this.router.release(conversationId)
    this.toldPositions.delete(conversationId)
  }

  async takeFromAgent(agentId: UserId): Promise<ConversationId[]> {
    return this.router.takeFromAgent(agentId)
  }

  async queuePosition(conversationId: ConversationId): Promise<number | undefined> {
    return this.router.queuePosition(conversationId)
  }

  async orderedQueue(): Promise<readonly QueueEntry[]> {
    return this.router.orderedQueue()
  }

  async takeQueueMoves(): Promise<QueueMove[]> {
    const moves: QueueMove[] = []
    for (const [index, { conversationId }] of this.router.orderedQueue().entries()) {
      const position = index + 1
      if (this.toldPositions.get(conversationId) === position) continue
      this.toldPositions.set(conversationId, position)
      moves.push({ conversationId, position })
    }
    return moves
  }
}
