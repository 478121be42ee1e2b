import { z } from 'zod'

/** The LiveKit data topic of avatar poses in a hall room (browsers and the server's relay alike). */
export const POSE_TOPIC = 'pose'

/** Who an avatar is, for its colour: customer, agent, supervisor in the hall, or the reception bot. */
export const HallRoleSchema = z.enum(['customer', 'agent', 'supervisor', 'bot'])
export type HallRole = z.infer<typeof HallRoleSchema>

/**
 * The role a hall participant's LiveKit metadata names (the server writes `{"role": …}` into every
 * hall token); anything unreadable is shown as a customer.
 */
export function hallRoleOf(metadata: string | undefined): HallRole {
  try {
    const role = HallRoleSchema.safeParse((JSON.parse(metadata || '{}') as { role?: unknown }).role)
    return role.success ? role.data : 'customer'
  } catch {
    return 'customer'
  }
}
