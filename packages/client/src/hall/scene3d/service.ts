import type { DeskPlace, HallLayout, HallStateReply } from '@kefu/shared'

/** How a desk looks from the room: someone free to talk, everyone busy, or nobody there. */
export type DeskLook = 'available' | 'busy' | 'empty'
export const LOOK_COLOUR: Record<DeskLook, string> = {
  available: '#22c58b',
  busy: '#f0a43a',
  empty: '#9aa3b2',
}

/** Each desk's look, from who of its team stands at it and how free they are. */
export function deskLooks(layout: HallLayout, service: HallStateReply): Record<string, DeskLook> {
  const looks: Record<string, DeskLook> = {}
  for (const desk of layout.desks) {
    const staff = service.agents.filter(
      (agent) => agent.inHall && agent.teams.some((team) => team === desk.teamId),
    )
    looks[desk.teamId] = staff.some((agent) => agent.availability === 'available')
      ? 'available'
      : staff.length > 0
        ? 'busy'
        : 'empty'
  }
  return looks
}

/** Where to go when the customer's agent staffs a desk: the customer's spot at it. */
export function guidance(
  layout: HallLayout,
  service: HallStateReply,
  agentId: string | null | undefined,
): { spot: DeskPlace['customerSpot']; agentName: string } | undefined {
  const agent = agentId && service.agents.find((candidate) => candidate.id === agentId && candidate.inHall)
  if (!agent) return undefined
  const desk = layout.desks.find((candidate) => agent.teams.some((team) => team === candidate.teamId))
  return desk && { spot: desk.customerSpot, agentName: agent.name }
}
