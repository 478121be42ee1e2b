import type {
  AgentSeat,
  AgentStatus,
  Assignment,
  ConversationId,
  QueueEntry,
  RoutingConfig,
  UserId,
} from '@kefu/shared'

/** One agent as routing sees them. */
export interface AgentLoad {
  id: UserId
  status: AgentStatus
  /** Conversations counted against the agent now. */
  load: number
}

/** A waiting conversation whose place in line moved since it was last told. */
export interface QueueMove {
  conversationId: ConversationId
  position: number
}

/**
 * The routing queue and the agents' loads: what `Router` (in @kefu/shared) keeps in memory on one
 * node (`local/LocalRoutingState`), rebuilt from storage at start. A cluster keeps it in one shared
 * place (Redis, with each change a script, or PostgreSQL rows under locks), so two nodes never give
 * one conversation to two agents, or an agent more than their capacity.
 */
export interface RoutingState {
  upsertAgent(seat: AgentSeat): Promise<void>
  setAgentStatus(agentId: UserId, status: AgentStatus): Promise<void>
  agentStatus(agentId: UserId): Promise<AgentStatus | undefined>
  load(agentId: UserId): Promise<number>
  /** Every agent routing knows, with status and load, read at one moment. */
  agents(): Promise<AgentLoad[]>
  /** Puts a conversation in line; returns its place, which the caller tells the customer. */
  enqueue(entry: QueueEntry): Promise<number>
  /** Changes a waiting conversation's priority, keeping its arrival; false when it is not waiting. */
  reprioritize(conversationId: ConversationId, priority: number): Promise<boolean>
  /** Routes by another policy from now on (an emergency's overflow), keeping the queue and loads. */
  reconfigure(config: RoutingConfig): Promise<void>
  /** Hands waiting conversations to free agents, by the routing rules; each assignment is given once. */
  assign(now: number): Promise<Assignment[]>
  /**
   * Counts a conversation against an agent without queueing it (a restart, a direct transfer).
   * With `capacity`, only while the agent is below it: false, and nothing counted, when they are not.
   */
  attach(conversationId: ConversationId, agentId: UserId, capacity?: number): Promise<boolean>
  /** Forgets a conversation: out of the queue and off its agent's load. */
  release(conversationId: ConversationId): Promise<void>
  /** Takes every conversation off an agent who left for good; returns them to re-queue. */
  takeFromAgent(agentId: UserId): Promise<ConversationId[]>
  queuePosition(conversationId: ConversationId): Promise<number | undefined>
  orderedQueue(): Promise<readonly QueueEntry[]>
  /**
   * The waiting conversations whose place in line differs from the one last returned for them,
   * remembered here so every node tells a customer of each move once.
   */
  takeQueueMoves(): Promise<QueueMove[]>
}
