import type { Repository } from '../store/Repository'
import type { Session } from './sessionTokens'

/**
 * The session a token stands for, as it is now: a staff member's role and teams come from their
 * account, not from the token, so a token issued before they left a team or were deactivated
 * carries no rights they have lost. Undefined when the account can no longer act.
 */
export type CurrentSession = (session: Session) => Promise<Session | undefined>

export function currentSession(repo: Repository): CurrentSession {
  return async (session) => {
    if (session.role === 'customer') return session
    const staff = await repo.getStaff(session.userId)
    if (!staff?.active) return undefined
    return { ...session, role: staff.role, teams: staff.teams, displayName: staff.displayName }
  }
}

/** True when a live connection opened as `before` must be closed because its rights changed. */
export function rightsChanged(before: Session, now: Session): boolean {
  return (
    before.role !== now.role ||
    before.teams.length !== now.teams.length ||
    before.teams.some((team) => !now.teams.includes(team))
  )
}
