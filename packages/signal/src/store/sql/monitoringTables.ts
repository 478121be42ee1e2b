import { z } from 'zod'
import type { LiveFigureRow, MonitoringRepository } from '../Repository'
import { type AlertRow, toAlert } from './rows'
import { inList, type SqlDatabase } from './SqlDatabase'

export function monitoringTables(db: SqlDatabase): MonitoringRepository {
  const getAlert = async (id: string) => {
    const row = await db.one<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id])
    return row && toAlert(row)
  }
  return {
    async addLiveFigures(rows, forgetBefore) {
      await db.transaction([
        ...rows.map((row) => ({
          sql: `INSERT INTO live_figures (bucket, figure, scope, sum, count, max) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (bucket, figure, scope) DO UPDATE SET sum = live_figures.sum + excluded.sum,
                  count = live_figures.count + excluded.count,
                  max = CASE WHEN excluded.max > live_figures.max THEN excluded.max ELSE live_figures.max END`,
          params: [row.bucket, row.figure, row.scope, row.sum, row.count, row.max],
        })),
        { sql: 'DELETE FROM live_figures WHERE bucket < ?', params: [forgetBefore] },
      ])
    },

    async listLiveFigures(since) {
      const rows = await db.all<Omit<LiveFigureRow, 'bucket'> & { bucket: number | string }>(
        'SELECT bucket, figure, scope, sum, count, max FROM live_figures WHERE bucket >= ? ORDER BY bucket, figure, scope',
        [since],
      )
      return rows.map((row) => ({ ...row, bucket: Number(row.bucket) }))
    },

    async saveAlert(alert) {
      await db.run(
        `INSERT INTO alerts (id, kind, figure, team_id, value, limit_value, message, raised_at, acknowledged_at, acknowledged_by, conversation_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
        [
          alert.id,
          alert.kind,
          alert.figure,
          alert.teamId,
          alert.value,
          alert.limit,
          alert.message,
          alert.raisedAt,
          alert.acknowledgedAt,
          alert.acknowledgedBy,
          alert.conversationId ?? null,
        ],
      )
    },

    getAlert,

    async listAlerts(teamIds, limit) {
      const rows = await db.all<AlertRow>(
        `SELECT * FROM alerts WHERE team_id IS NULL OR ${inList('team_id', teamIds)}
         ORDER BY raised_at DESC, id DESC LIMIT ?`,
        [...teamIds, limit],
      )
      return rows.map(toAlert)
    },

    async acknowledgeAlert(id, by, at) {
      await db.run(
        'UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL',
        [at, by, id],
      )
      return getAlert(id)
    },

    async claimAlertCondition(condition, alertId, at) {
      const claimed = await db.run(
        'INSERT INTO alert_conditions (condition, alert_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        [condition, alertId, at],
      )
      return claimed === 1
    },

    async clearAlertCondition(condition) {
      await db.run('DELETE FROM alert_conditions WHERE condition = ?', [condition])
    },

    purgeAlertConditions: (olderThan) => db.run('DELETE FROM alert_conditions WHERE since < ?', [olderThan]),

    async readAlertBaseline(key) {
      const row = await db.one<{ state: string }>('SELECT state FROM alert_baselines WHERE key = ?', [key])
      return row && AlertBaselineSchema.parse(JSON.parse(row.state))
    },

    async saveAlertBaseline(key, baseline) {
      await db.run(
        'INSERT INTO alert_baselines (key, state) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state',
        [key, JSON.stringify(baseline)],
      )
    },
  }
}

const AlertBaselineSchema = z.object({
  mean: z.number(),
  variance: z.number(),
  seen: z.number(),
  observedAt: z.number(),
})
