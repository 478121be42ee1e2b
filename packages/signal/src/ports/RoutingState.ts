import type {
  AgentSeat,
  AgentStatus,
  Assignment,
  ConversationId,
  QueueEntry,
  RoutingConfig,
  UserId,
} from '@kefu/shared'

/**
 * The routing queue and the agents' loads: what `Router` (in @kefu/shared) keeps in memory on one
 * node, rebuilt from storage at start (`Lifecycle.restore`). A cluster keeps it in one shared place
 * (a PostgreSQL table under row locks, or Redis) and runs `assign` under the assignment job's lease,
 * so two nodes never give one conversation to two agents, or an agent more than their capacity.
 */
export interface RoutingState {
  upsertAgent(seat: AgentSeat): void
  setAgentStatus(agentId: UserId, status: AgentStatus): void
  agentStatus(agentId: UserId): AgentStatus | undefined
  agentIds(): UserId[]
  load(agentId: UserId): number
  enqueue(entry: QueueEntry): void
  /** Changes a waiting conversation's priority, keeping its arrival; false when it is not waiting. */
  reprioritize(conversationId: ConversationId, priority: number): boolean
  /** Routes by another policy from now on (an emergency's overflow), keeping the queue and loads. */
  reconfigure(config: RoutingConfig): void
  /** Hands waiting conversations to free agents, by the routing rules. */
  assign(now: number): Assignment[]
  /** Counts a conversation against an agent without queueing it (a restart, a direct transfer). */
  attach(conversationId: ConversationId, agentId: UserId): void
  /** Forgets a conversation: out of the queue and off its agent's load. */
  release(conversationId: ConversationId): void
  /** Takes every conversation off an agent who left for good; returns them to re-queue. */
  takeFromAgent(agentId: UserId): ConversationId[]
  queuePosition(conversationId: ConversationId): number | undefined
  orderedQueue(): readonly QueueEntry[]
  queueLength(): number
}
