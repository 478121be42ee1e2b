import type { ConversationId, TeamId, UserId } from '../ids'
import { findTeam, type RoutingConfig } from './rules'

/** Whether an agent takes new conversations. */
export type AgentStatus = 'available' | 'away' | 'offline'

/** An agent as routing sees it. */
export interface AgentSeat {
  readonly id: UserId
  readonly teams: readonly TeamId[]
  readonly capacity: number
}

/** A conversation waiting for an agent. */
export interface QueueEntry {
  readonly conversationId: ConversationId
  readonly teamId: TeamId
  readonly priority: number
  readonly enqueuedAt: number
}

/** A decision to hand a queued conversation to an agent. */
export interface Assignment {
  readonly conversationId: ConversationId
  readonly agentId: UserId
  readonly teamId: TeamId
  readonly viaOverflow: boolean
  readonly waitedMs: number
}

interface AgentState extends AgentSeat {
  status: AgentStatus
  readonly active: Set<ConversationId>
  lastAssignedTurn: number
}

interface QueuedItem extends QueueEntry {
  readonly arrival: number
}

/**
 * Everything a `Router` holds, as plain data: what a cluster keeps in one shared place and every
 * node turns back into a `Router` to decide with, so the rules exist once, here.
 */
export interface RouterSnapshot {
  readonly config: RoutingConfig
  readonly agents: readonly (AgentSeat & {
    readonly status: AgentStatus
    readonly active: readonly ConversationId[]
    readonly lastAssignedTurn: number
  })[]
  readonly queue: readonly (QueueEntry & { readonly arrival: number })[]
  readonly arrivals: number
  readonly turns: number
}

/**
 * Who answers whom. Holds the queue and each agent's load in memory; the server persists the
 * outcome and rebuilds this from storage at start. Pure: time is passed in, nothing is scheduled.
 */
export class Router {
  private readonly agents = new Map<UserId, AgentState>()
  private readonly queue = new Map<ConversationId, QueuedItem>()
  private readonly owner = new Map<ConversationId, UserId>()
  private arrivals = 0
  private turns = 0

  constructor(private config: RoutingConfig) {}

  static restore(snapshot: RouterSnapshot): Router {
    const router = new Router(snapshot.config)
    for (const { active, ...agent } of snapshot.agents) {
      router.agents.set(agent.id, { ...agent, active: new Set(active) })
      for (const conversationId of active) router.owner.set(conversationId, agent.id)
    }
    for (const item of snapshot.queue) router.queue.set(item.conversationId, item)
    router.arrivals = snapshot.arrivals
    router.turns = snapshot.turns
    return router
  }

  snapshot(): RouterSnapshot {
    return {
      config: this.config,
      agents: [...this.agents.values()].map((agent) => ({ ...agent, active: [...agent.active] })),
      queue: [...this.queue.values()],
      arrivals: this.arrivals,
      turns: this.turns,
    }
  }

  /**
   * Routes by another policy from now on (an emergency playbook's overflow, and back). Who waits
   * and who holds what stays as it is; only the next decisions change.
   */
  reconfigure(config: RoutingConfig): void {
    this.config = config
  }

  /** Adds an agent or updates their teams and capacity, keeping their current conversations. */
  upsertAgent(seat: AgentSeat): void {
    const existing = this.agents.get(seat.id)
    this.agents.set(seat.id, {
      ...seat,
      status: existing?.status ?? 'offline',
      active: existing?.active ?? new Set(),
      lastAssignedTurn: existing?.lastAssignedTurn ?? 0,
    })
  }

  setAgentStatus(agentId: UserId, status: AgentStatus): void {
    const agent = this.agents.get(agentId)
    if (agent) agent.status = status
  }

  agentStatus(agentId: UserId): AgentStatus | undefined {
    return this.agents.get(agentId)?.status
  }

  /** Puts a conversation in its team's queue (again, if it was queued before). */
  enqueue(entry: QueueEntry): void {
    this.release(entry.conversationId)
    this.queue.set(entry.conversationId, { ...entry, arrival: this.arrivals++ })
  }

  /**
   * Moves a waiting conversation to another priority, keeping when it arrived (an angry customer
   * goes ahead of calmer ones of the same standing, not behind everyone who came later). False when
   * it is not waiting.
   */
  reprioritize(conversationId: ConversationId, priority: number): boolean {
    const item = this.queue.get(conversationId)
    if (!item) return false
    this.queue.set(conversationId, { ...item, priority })
    return true
  }

  /** Records that an agent holds a conversation, without routing (restores, direct transfers). */
  attach(conversationId: ConversationId, agentId: UserId): void {
    this.release(conversationId)
    const agent = this.agents.get(agentId)
    if (!agent) return
    agent.active.add(conversationId)
    this.owner.set(conversationId, agentId)
  }

  /** Forgets a conversation: resolved, abandoned or moved elsewhere. */
  release(conversationId: ConversationId): void {
    this.queue.delete(conversationId)
    const agentId = this.owner.get(conversationId)
    if (agentId === undefined) return
    this.agents.get(agentId)?.active.delete(conversationId)
    this.owner.delete(conversationId)
  }

  /**
   * Takes every conversation away from an agent who dropped, for the caller to re-queue.
   * The agent stays known but offline.
   */
  takeFromAgent(agentId: UserId): ConversationId[] {
    const agent = this.agents.get(agentId)
    if (!agent) return []
    agent.status = 'offline'
    const taken = [...agent.active]
    for (const conversationId of taken) this.owner.delete(conversationId)
    agent.active.clear()
    return taken
  }

  /** Hands queued conversations to free agents, best-placed first, until nothing more fits. */
  assign(now: number): Assignment[] {
    const assignments: Assignment[] = []
    if (!this.hasFreeSeat()) return assignments
    for (const entry of this.orderedQueue()) {
      const pick = this.pickAgent(this.eligibleTeams(entry, now))
      if (!pick) continue
      const { agent, team } = pick
      this.queue.delete(entry.conversationId)
      agent.active.add(entry.conversationId)
      agent.lastAssignedTurn = ++this.turns
      this.owner.set(entry.conversationId, agent.id)
      assignments.push({
        conversationId: entry.conversationId,
        agentId: agent.id,
        teamId: team,
        viaOverflow: team !== entry.teamId,
        waitedMs: now - entry.enqueuedAt,
      })
      if (!this.hasFreeSeat()) break
    }
    return assignments
  }

  /** 1-based place in the queue, or undefined when not queued. */
  queuePosition(conversationId: ConversationId): number | undefined {
    const index = this.orderedQueue().findIndex((entry) => entry.conversationId === conversationId)
    return index < 0 ? undefined : index + 1
  }

  /** The queue in service order. */
  orderedQueue(): QueueEntry[] {
    return [...this.queue.values()].sort(
      (a, b) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt || a.arrival - b.arrival,
    )
  }

  queueLength(): number {
    return this.queue.size
  }

  /** Who holds a conversation, if anyone. */
  ownerOf(conversationId: ConversationId): UserId | undefined {
    return this.owner.get(conversationId)
  }

  /** Conversations an agent currently holds. */
  load(agentId: UserId): number {
    return this.agents.get(agentId)?.active.size ?? 0
  }

  agentIds(): UserId[] {
    return [...this.agents.keys()]
  }

  private hasFreeSeat(): boolean {
    for (const agent of this.agents.values()) {
      if (agent.status === 'available' && agent.active.size < agent.capacity) return true
    }
    return false
  }

  private eligibleTeams(entry: QueueEntry, now: number): TeamId[] {
    const overflow = findTeam(this.config, entry.teamId)?.overflow
    if (overflow && now - entry.enqueuedAt >= overflow.afterMs) return [entry.teamId, overflow.toTeam]
    return [entry.teamId]
  }

  // Own-team agents before overflow agents; among them the least loaded, then whoever waited longest.
  private pickAgent(teams: readonly TeamId[]): { agent: AgentState; team: TeamId } | undefined {
    for (const team of teams) {
      let best: AgentState | undefined
      for (const agent of this.agents.values()) {
        if (agent.status !== 'available' || agent.active.size >= agent.capacity) continue
        if (!agent.teams.includes(team)) continue
        if (!best || isBetterChoice(agent, best)) best = agent
      }
      if (best) return { agent: best, team }
    }
    return undefined
  }
}

function isBetterChoice(candidate: AgentState, current: AgentState): boolean {
  const candidateLoad = candidate.active.size / candidate.capacity
  const currentLoad = current.active.size / current.capacity
  if (candidateLoad !== currentLoad) return candidateLoad < currentLoad
  return candidate.lastAssignedTurn < current.lastAssignedTurn
}
