import type { Cancel, UserId } from '@kefu/shared'
import type { Session } from '../auth/sessionTokens'
import type { ChatContext } from './context'
import type { Lifecycle } from './Lifecycle'

/**
 * Agents coming and going. A dropped agent keeps their conversations for a grace period (a page
 * reload or a flaky network must not reshuffle customers); after it they go back to the queue.
 */
export class AgentDesk {
  private readonly graceTimers = new Map<UserId, Cancel>()

  constructor(
    private readonly ctx: ChatContext,
    private readonly lifecycle: Lifecycle,
    private readonly graceMs: number,
  ) {}

  /** The agent's first device connected: their current teams and capacity come from storage. */
  async online(session: Session): Promise<void> {
    this.graceTimers.get(session.userId)?.()
    this.graceTimers.delete(session.userId)
    const staff = await this.ctx.repo.getStaff(session.userId)
    if (staff) this.ctx.router.upsertAgent({ id: staff.id, teams: staff.teams, capacity: staff.capacity })
    await this.setStatus(session, 'available')
  }

  async setStatus(session: Session, status: 'available' | 'away'): Promise<void> {
    if (session.role !== 'agent') return
    this.ctx.router.setAgentStatus(session.userId, status)
    this.announce(session, status)
    if (status === 'available') await this.lifecycle.runAssignment()
  }

  /** The agent's last device disconnected. */
  offline(session: Session): void {
    if (session.role !== 'agent') return
    this.ctx.router.setAgentStatus(session.userId, 'offline')
    this.announce(session, 'offline')
    this.startGrace(session.userId)
  }

  /** After a restart nobody is connected yet: every agent holding conversations gets the grace period. */
  startGraceForAll(): void {
    for (const agentId of this.ctx.router.agentIds()) {
      if (this.ctx.router.load(agentId) > 0) this.startGrace(agentId)
    }
  }

  stop(): void {
    for (const cancel of this.graceTimers.values()) cancel()
    this.graceTimers.clear()
  }

  private startGrace(agentId: UserId): void {
    this.graceTimers.get(agentId)?.()
    const cancel = this.ctx.clock.setTimeout(() => {
      this.graceTimers.delete(agentId)
      if (this.ctx.router.agentStatus(agentId) !== 'offline') return
      this.lifecycle.requeueFromAgent(agentId).catch((error: unknown) => {
        this.ctx.logger.error({ err: error, agentId }, 'could not re-queue a dropped agent’s conversations')
      })
    }, this.graceMs)
    this.graceTimers.set(agentId, cancel)
  }

  private announce(session: Session, status: 'available' | 'away' | 'offline'): void {
    for (const teamId of session.teams)
      this.ctx.fanout.toTeam(teamId, { t: 'presence', userId: session.userId, status })
  }
}
