import type { CannedReplyRepository } from '../Repository'
import { type CannedReplyRow, toCannedReply } from './rows'
import { inList, type SqlDatabase } from './SqlDatabase'

const CANNED_REPLY_SELECT = 'SELECT id, owner_id, team_id, name, body FROM canned_replies'

export function cannedReplyTables(db: SqlDatabase): CannedReplyRepository {
  return {
    async saveCannedReply(reply, at) {
      await db.run(
        'INSERT INTO canned_replies (id, owner_id, team_id, name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [reply.id, reply.ownerId, reply.teamId, reply.name, reply.body, at],
      )
    },

    async listCannedReplies(ownerId, teamIds) {
      const rows = await db.all<CannedReplyRow>(
        `${CANNED_REPLY_SELECT} WHERE owner_id = ? OR ${inList('team_id', teamIds)} ORDER BY name, id`,
        [ownerId, ...teamIds],
      )
      return rows.map(toCannedReply)
    },

    async getCannedReply(id) {
      const row = await db.one<CannedReplyRow>(`${CANNED_REPLY_SELECT} WHERE id = ?`, [id])
      return row && toCannedReply(row)
    },

    async deleteCannedReply(id) {
      await db.run('DELETE FROM canned_replies WHERE id = ?', [id])
    },
  }
}
