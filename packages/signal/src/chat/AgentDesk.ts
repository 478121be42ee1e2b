import type { UserId } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { Jobs } from '../ports/Jobs'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository } from '../store/Repository'
import type { Fanout } from './Fanout'
import type { Lifecycle } from './Lifecycle'

/** What the desk works with; built once in server.ts. */
export interface AgentDeskDeps {
  repo: Repository
  router: RoutingState
  lifecycle: Pick<Lifecycle, 'runAssignment' | 'requeueFromAgent'>
  fanout: Pick<Fanout, 'toTeam'>
  jobs: Jobs
  graceMs: number
}

const graceJob = (agentId: UserId) => `agent-grace:${agentId}`

/**
 * Agents coming and going. A dropped agent keeps their conversations for a grace period (a page
 * reload or a flaky network must not reshuffle customers); after it they go back to the queue.
 */
export class AgentDesk {
  constructor(private readonly deps: AgentDeskDeps) {}

  /** The agent's first device connected: their current teams and capacity come from storage. */
  async online(session: Session): Promise<void> {
    this.deps.jobs.cancel(graceJob(session.userId))
    const staff = await this.deps.repo.getStaff(session.userId)
    if (staff) this.deps.router.upsertAgent({ id: staff.id, teams: staff.teams, capacity: staff.capacity })
    await this.setStatus(session, 'available')
  }

  async setStatus(session: Session, status: 'available' | 'away'): Promise<void> {
    if (session.role !== 'agent') return
    this.deps.router.setAgentStatus(session.userId, status)
    this.announce(session, status)
    if (status === 'available') await this.deps.lifecycle.runAssignment()
  }

  /** The agent's last device disconnected. */
  offline(session: Session): void {
    if (session.role !== 'agent') return
    this.deps.router.setAgentStatus(session.userId, 'offline')
    this.announce(session, 'offline')
    this.startGrace(session.userId)
  }

  /** After a restart nobody is connected yet: every agent holding conversations gets the grace period. */
  startGraceForAll(): void {
    for (const agentId of this.deps.router.agentIds()) {
      if (this.deps.router.load(agentId) > 0) this.startGrace(agentId)
    }
  }

  private startGrace(agentId: UserId): void {
    this.deps.jobs.after(graceJob(agentId), this.deps.graceMs, async () => {
      if (this.deps.router.agentStatus(agentId) !== 'offline') return
      await this.deps.lifecycle.requeueFromAgent(agentId)
    })
  }

  private announce(session: Session, status: 'available' | 'away' | 'offline'): void {
    for (const teamId of session.teams)
      this.deps.fanout.toTeam(teamId, { t: 'presence', userId: session.userId, status })
  }
}
