import { asTeamId, type TeamId, type UserId } from '@kefu/shared'
import type { StaffRepository } from '../Repository'
import { type StaffRow, toStaff } from './rows'
import type { SqlDatabase, SqlStatement } from './SqlDatabase'

const STAFF_SELECT = `SELECT s.*, (SELECT string_agg(team_id, ',' ORDER BY team_id) FROM staff_teams t WHERE t.staff_id = s.id) AS teams
  FROM staff s`

const joinTeams = (staffId: UserId, teams: readonly TeamId[]): SqlStatement[] =>
  teams.map((team) => ({
    sql: 'INSERT INTO staff_teams (staff_id, team_id) VALUES (?, ?)',
    params: [staffId, team],
  }))

export function staffTables(db: SqlDatabase): StaffRepository {
  return {
    async upsertTeam(team) {
      await db.run(
        `INSERT INTO teams (id, name, answer_target_ms) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, answer_target_ms = excluded.answer_target_ms`,
        [team.id, team.name, team.answerTargetMs],
      )
    },

    async listTeams() {
      const rows = await db.all<{ id: string; name: string; answer_target_ms: number }>(
        'SELECT id, name, answer_target_ms FROM teams ORDER BY id',
      )
      return rows.map((row) => ({
        id: asTeamId(row.id),
        name: row.name,
        answerTargetMs: row.answer_target_ms,
      }))
    },

    async createStaff(staff) {
      await db.transaction([
        {
          sql: 'INSERT INTO staff (id, login, display_name, role, password_hash, capacity) VALUES (?, ?, ?, ?, ?, ?)',
          params: [staff.id, staff.login, staff.displayName, staff.role, staff.passwordHash, staff.capacity],
        },
        ...joinTeams(staff.id, staff.teams),
      ])
    },

    async updateStaff(id, { teams, active }) {
      await db.transaction([
        ...(active === undefined
          ? []
          : [{ sql: 'UPDATE staff SET active = ? WHERE id = ?', params: [active ? 1 : 0, id] }]),
        ...(teams === undefined
          ? []
          : [{ sql: 'DELETE FROM staff_teams WHERE staff_id = ?', params: [id] }, ...joinTeams(id, teams)]),
      ])
    },

    async findStaffByLogin(login) {
      const row = await db.one<StaffRow>(`${STAFF_SELECT} WHERE s.login = ?`, [login])
      return row && toStaff(row)
    },

    async getStaff(id) {
      const row = await db.one<StaffRow>(`${STAFF_SELECT} WHERE s.id = ?`, [id])
      return row && toStaff(row)
    },

    async listStaff() {
      return (await db.all<StaffRow>(`${STAFF_SELECT} ORDER BY s.login`)).map(toStaff)
    },
  }
}
