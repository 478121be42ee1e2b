import type { FloorPoint } from './hearing'

/** An axis-aligned box on the floor: what an avatar cannot walk through. */
export interface FloorBox {
  minX: number
  maxX: number
  minZ: number
  maxZ: number
}

/** A team's desk: where it stands, where its agents and a customer stand at it. */
export interface DeskPlace {
  teamId: string
  teamName: string
  /** The desk's centre. */
  at: FloorPoint
  box: FloorBox
  /** Where agents of this team stand behind the desk, facing the room (the first is the first agent's). */
  agentSpots: readonly (FloorPoint & { heading: number })[]
  /** Where a customer stands to talk to the desk, facing it. */
  customerSpot: FloorPoint & { heading: number }
}

/** The whole hall: walls, entrance, the reception, team desks, the waiting area and the showcase. */
export interface HallLayout {
  bounds: FloorBox
  entrance: FloorPoint & { heading: number }
  reception: { at: FloorPoint; box: FloorBox; botSpot: FloorPoint & { heading: number } }
  desks: readonly DeskPlace[]
  waitingArea: { at: FloorPoint; seats: readonly FloorPoint[]; box: FloorBox }
  showcase: { at: FloorPoint; box: FloorBox }
  obstacles: readonly FloorBox[]
}

const HALL_WIDTH_M = 24
const HALL_DEPTH_M = 20
const DESK_WIDTH_M = 3.2
const DESK_DEPTH_M = 1
/** How far a desk's agents stand from its centre line, and its customer. */
const AGENT_BEHIND_M = 1.1
const CUSTOMER_IN_FRONT_M = 1.3
/** Facing +z (the entrance) as a three.js heading. */
const FACING_ENTRANCE = Math.PI
/** Facing -z (the desks). */
const FACING_DESKS = 0

const boxAround = (at: FloorPoint, width: number, depth: number): FloorBox => ({
  minX: at.x - width / 2,
  maxX: at.x + width / 2,
  minZ: at.z - depth / 2,
  maxZ: at.z + depth / 2,
})

/**
 * The hall for a set of teams, in the order given: their desks along the back wall, evenly
 * spaced; the reception by the entrance; the waiting area to the left and the showcase to the
 * right. Pure, so the web and the mini-program build the same room.
 */
export function createHallLayout(teams: readonly { id: string; name: string }[]): HallLayout {
  const halfWidth = HALL_WIDTH_M / 2
  const halfDepth = HALL_DEPTH_M / 2
  const deskZ = -halfDepth + 4
  const desks = teams.map((team, index): DeskPlace => {
    const at = { x: -halfWidth + ((index + 1) * HALL_WIDTH_M) / (teams.length + 1), z: deskZ }
    return {
      teamId: team.id,
      teamName: team.name,
      at,
      box: boxAround(at, DESK_WIDTH_M, DESK_DEPTH_M),
      agentSpots: [0, -1, 1].map((offset) => ({
        x: at.x + offset * 1.1,
        z: at.z - AGENT_BEHIND_M,
        heading: FACING_ENTRANCE,
      })),
      customerSpot: { x: at.x, z: at.z + CUSTOMER_IN_FRONT_M, heading: FACING_DESKS },
    }
  })
  const receptionAt = { x: 0, z: halfDepth - 5 }
  const reception = {
    at: receptionAt,
    box: boxAround(receptionAt, 3.6, 1.2),
    botSpot: { x: 0, z: receptionAt.z - 1.1, heading: FACING_ENTRANCE },
  }
  const waitingAt = { x: -halfWidth + 4, z: halfDepth - 5 }
  const seats = [-1.5, 0, 1.5].flatMap((dx) =>
    [0, 1.4].map((dz) => ({ x: waitingAt.x + dx, z: waitingAt.z + dz })),
  )
  const waitingArea = {
    at: waitingAt,
    seats,
    box: boxAround({ x: waitingAt.x, z: waitingAt.z + 0.7 }, 4.2, 2.2),
  }
  const showcaseAt = { x: halfWidth - 4, z: halfDepth - 5.5 }
  const showcase = { at: showcaseAt, box: boxAround(showcaseAt, 1.8, 1.8) }
  return {
    bounds: { minX: -halfWidth, maxX: halfWidth, minZ: -halfDepth, maxZ: halfDepth },
    entrance: { x: 0, z: halfDepth - 1.2, heading: FACING_DESKS },
    reception,
    desks,
    waitingArea,
    showcase,
    obstacles: [...desks.map((desk) => desk.box), reception.box, showcase.box, waitingArea.box],
  }
}

/**
 * Where an avatar of `radius` ends up when it tries to go from `from` to `to`: it slides along a
 * desk or a wall it would enter instead of passing through, one axis at a time.
 */
export function moveAvatar(layout: HallLayout, from: FloorPoint, to: FloorPoint, radius = 0.35): FloorPoint {
  const blocked = (point: FloorPoint) => !isFree(layout, point, radius)
  let x = from.x
  let z = from.z
  if (!blocked({ x: to.x, z })) x = to.x
  if (!blocked({ x, z: to.z })) z = to.z
  return { x, z }
}

/** True when a circle of `radius` at `point` is inside the walls and touches no obstacle. */
export function isFree(layout: HallLayout, point: FloorPoint, radius = 0.35): boolean {
  const { bounds } = layout
  if (point.x - radius < bounds.minX || point.x + radius > bounds.maxX) return false
  if (point.z - radius < bounds.minZ || point.z + radius > bounds.maxZ) return false
  return layout.obstacles.every((box) => !circleTouchesBox(point, radius, box))
}

/** Keeps a camera (or anything) at least `margin` inside the walls. */
export function clampInside(layout: HallLayout, point: FloorPoint, margin: number): FloorPoint {
  const { bounds } = layout
  return {
    x: Math.min(bounds.maxX - margin, Math.max(bounds.minX + margin, point.x)),
    z: Math.min(bounds.maxZ - margin, Math.max(bounds.minZ + margin, point.z)),
  }
}

function circleTouchesBox(point: FloorPoint, radius: number, box: FloorBox): boolean {
  const nearestX = Math.max(box.minX, Math.min(point.x, box.maxX))
  const nearestZ = Math.max(box.minZ, Math.min(point.z, box.maxZ))
  return Math.hypot(point.x - nearestX, point.z - nearestZ) < radius
}
