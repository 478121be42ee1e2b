import type { Cancel, Clock, HallStateReply } from '@kefu/shared'
import { repeatEvery } from '../clock'
import type { HallSeats } from '../ports/HallSeats'
import type { RoutingState } from '../ports/RoutingState'
import type { Repository } from '../store/Repository'

/** What the hall shows of the service: desks, who staffs them and how free they are, who waits. */
export async function readHallState(deps: {
  repo: Repository
  router: RoutingState
  seats: HallSeats
}): Promise<HallStateReply> {
  const { repo, router, seats } = deps
  const teams = await repo.listTeams()
  const staff = await repo.listStaff()
  const waiting: Record<string, number> = Object.fromEntries(teams.map((team) => [team.id, 0]))
  for (const entry of await router.orderedQueue()) waiting[entry.teamId] = (waiting[entry.teamId] ?? 0) + 1
  const routed = new Map((await router.agents()).map((agent) => [agent.id, agent]))
  const agents = staff.filter((member) => member.role === 'agent' && member.active)
  return {
    teams: teams.map((team) => ({ id: team.id, name: team.name })),
    agents: await Promise.all(
      agents.map(async (agent) => {
        const status = routed.get(agent.id)?.status ?? 'offline'
        const isFull = (routed.get(agent.id)?.load ?? 0) >= agent.capacity
        return {
          id: agent.id,
          name: agent.displayName,
          teams: agent.teams,
          availability: status === 'available' && isFull ? 'busy' : status,
          inHall: await seats.isInHall(agent.id),
        }
      }),
    ),
    waiting,
  }
}

/**
 * The hall's state pushed to whoever watches it, within `intervalMs` of a change: the state is
 * read again on that beat while anyone watches and sent only when it differs, which catches every
 * source of change (routing, presence, seats) without hooking each one.
 */
export class HallStateFeed {
  private readonly watchers = new Set<(state: HallStateReply) => void>()
  private stopBeat: Cancel | undefined
  private last: { json: string; state: HallStateReply } | undefined
  private reading = false

  constructor(
    private readonly read: () => Promise<HallStateReply>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly clock: Clock,
  ) {}

  /** Sends the state now and on every change; returns the function that stops it. */
  watch(send: (state: HallStateReply) => void): () => void {
    this.watchers.add(send)
    void this.refresh(send)
    this.stopBeat ??= repeatEvery(this.clock, this.intervalMs, () => this.refresh())
    return () => {
      this.watchers.delete(send)
      if (this.watchers.size > 0 || !this.stopBeat) return
      this.stopBeat()
      this.stopBeat = undefined
      this.last = undefined
    }
  }

  stop(): void {
    this.watchers.clear()
    this.stopBeat?.()
    this.stopBeat = undefined
  }

  // A newcomer is sent the current state even when it did not change since the last beat.
  private async refresh(newcomer?: (state: HallStateReply) => void): Promise<void> {
    if (this.reading && !newcomer) return
    if (!newcomer) this.reading = true
    try {
      const state = await this.read()
      const json = JSON.stringify(state)
      if (json !== this.last?.json) {
        this.last = { json, state }
        for (const send of this.watchers) send(state)
      } else if (newcomer && this.watchers.has(newcomer)) newcomer(state)
    } catch (error) {
      this.onError(error)
    } finally {
      if (!newcomer) this.reading = false
    }
  }
}
