import { PlaybookActivationSchema } from '@kefu/shared'
import type { PlaybookRepository } from '../Repository'
import type { SqlDatabase } from './SqlDatabase'

export function playbookTables(db: SqlDatabase): PlaybookRepository {
  return {
    async savePlaybookActivation(activation) {
      await db.run(
        `INSERT INTO playbook_activations (id, activated_at, record) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
        [activation.id, activation.activatedAt, JSON.stringify(activation)],
      )
    },

    async listPlaybookActivations(limit) {
      const rows = await db.all<{ record: string }>(
        'SELECT record FROM playbook_activations ORDER BY activated_at DESC, id DESC LIMIT ?',
        [limit],
      )
      return rows.map((row) => PlaybookActivationSchema.parse(JSON.parse(row.record)))
    },

    async claimProactiveOffer(customerId, ruleId, day, at) {
      const claimed = await db.run(
        `INSERT INTO proactive_offers (customer_id, rule_id, day, offered_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [customerId, ruleId, day, at],
      )
      return claimed === 1
    },
  }
}
