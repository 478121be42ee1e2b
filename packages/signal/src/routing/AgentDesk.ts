import { asUserId, type UserId } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { Fanout } from '../chat/Fanout'
import type { Jobs } from '../ports/Jobs'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository } from '../store/Repository'
import type { RoutingQueue } from './RoutingQueue'

/** What the desk works with; built once in server.ts. */
export interface AgentDeskDeps {
  repo: Repository
  router: RoutingState
  queue: Pick<RoutingQueue, 'runAssignment' | 'requeueFromAgent'>
  fanout: Pick<Fanout, 'toTeam'>
  jobs: Jobs
  graceMs: number
}

const GRACE_JOB = 'agent-grace'

/**
 * Agents coming and going. A dropped agent keeps their conversations for a grace period (a page
 * reload or a flaky network must not reshuffle customers); after it they go back to the queue.
 */
export class AgentDesk {
  constructor(private readonly deps: AgentDeskDeps) {
    deps.jobs.define(GRACE_JOB, async (agentId) => {
      if ((await deps.router.agentStatus(asUserId(agentId))) !== 'offline') return
      await deps.queue.requeueFromAgent(asUserId(agentId))
    })
  }

  /** The agent's first device connected: their current teams and capacity come from storage. */
  async online(session: Session): Promise<void> {
    await this.deps.jobs.cancel(GRACE_JOB, session.userId)
    const staff = await this.deps.repo.getStaff(session.userId)
    if (staff)
      await this.deps.router.upsertAgent({ id: staff.id, teams: staff.teams, capacity: staff.capacity })
    await this.setStatus(session, 'available')
  }

  async setStatus(session: Session, status: 'available' | 'away'): Promise<void> {
    if (session.role !== 'agent') return
    await this.deps.router.setAgentStatus(session.userId, status)
    this.announce(session, status)
    if (status === 'available') await this.deps.queue.runAssignment()
  }

  /** The agent's last device disconnected. */
  async offline(session: Session): Promise<void> {
    if (session.role !== 'agent') return
    await this.deps.router.setAgentStatus(session.userId, 'offline')
    this.announce(session, 'offline')
    await this.startGrace(session.userId)
  }

  /** After a restart nobody is connected yet: every agent holding conversations gets the grace period. */
  async startGraceForAll(): Promise<void> {
    for (const agent of await this.deps.router.agents()) if (agent.load > 0) await this.startGrace(agent.id)
  }

  private startGrace(agentId: UserId): Promise<void> {
    return this.deps.jobs.after(GRACE_JOB, agentId, this.deps.graceMs)
  }

  private announce(session: Session, status: 'available' | 'away' | 'offline'): void {
    for (const teamId of session.teams)
      this.deps.fanout.toTeam(teamId, { t: 'presence', userId: session.userId, status })
  }
}
