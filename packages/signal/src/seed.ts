import { asTeamId, asUserId, type RoutingConfig } from '@kefu/shared'
import { hashPassword } from './auth/passwords'
import type { Repository, StaffRole } from './store/Repository'

/** The password of every demo account; only ever created when KEFU_DEV=1. */
export const DEMO_PASSWORD = 'kefu-demo'

/** Demo staff: enough agents to see routing, capacity and overflow at work. */
export const DEMO_STAFF: {
  login: string
  name: string
  role: StaffRole
  teams: string[]
  capacity: number
}[] = [
  { login: 'alice', name: 'Alice Wang', role: 'agent', teams: ['premium', 'general'], capacity: 3 },
  { login: 'bob', name: 'Bob Li', role: 'agent', teams: ['retention', 'general'], capacity: 3 },
  { login: 'carol', name: 'Carol Zhang', role: 'agent', teams: ['general'], capacity: 4 },
  {
    login: 'sam',
    name: 'Sam Chen',
    role: 'supervisor',
    teams: ['premium', 'retention', 'general'],
    capacity: 0,
  },
]

/** Makes the stored teams match the routing configuration, which is the source of truth for them. */
export async function syncTeams(repo: Repository, routing: RoutingConfig): Promise<void> {
  for (const team of routing.teams)
    await repo.upsertTeam({ id: team.id, name: team.name, answerTargetMs: team.answerTargetMs })
}

/** Creates the demo staff once, in development. Returns the logins that exist. */
export async function seedDemoStaff(repo: Repository): Promise<string[]> {
  let passwordHash: string | undefined
  for (const staff of DEMO_STAFF) {
    if (await repo.findStaffByLogin(staff.login)) continue
    // scrypt is deliberately slow: hash once, and only when an account is actually missing.
    passwordHash ??= await hashPassword(DEMO_PASSWORD)
    await repo.createStaff({
      id: asUserId(`s_${staff.login}`),
      login: staff.login,
      displayName: staff.name,
      role: staff.role,
      passwordHash,
      capacity: staff.capacity,
      teams: staff.teams.map(asTeamId),
    })
  }
  return DEMO_STAFF.map((staff) => staff.login)
}
