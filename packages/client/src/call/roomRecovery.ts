import type { DisconnectReason, ReconnectPolicy } from 'livekit-client'

// A blip is resumed on the same LiveKit node within about two seconds; past that the node is taken
// for gone, and the room is joined again with a new token, which names a node that answers.
const RESUME_DELAYS_MS = [0, 500, 1500]

/** How many joins in a row, none of which got back into the room, before giving up. */
export const MAX_REJOINS = 3

export const RESUME_ON_THE_SAME_NODE: ReconnectPolicy = {
  nextRetryDelayInMs: ({ retryCount }) => RESUME_DELAYS_MS[retryCount] ?? null,
}

/**
 * Whether LiveKit ended the room for a reason nobody chose (its node went away or lost the room's
 * state), so that joining again is what the person wants; not after a hang-up, a removal or a
 * closed room. `reasons` is livekit-client's enum, which is loaded with the client.
 */
export function isLostByServer(
  reason: DisconnectReason | undefined,
  reasons: typeof DisconnectReason,
): boolean {
  return (
    reason === undefined ||
    [
      reasons.UNKNOWN_REASON,
      reasons.SERVER_SHUTDOWN,
      reasons.STATE_MISMATCH,
      reasons.JOIN_FAILURE,
      reasons.MIGRATION,
      reasons.SIGNAL_CLOSE,
    ].includes(reason)
  )
}
