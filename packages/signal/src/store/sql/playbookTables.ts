import {
  asConversationId,
  BehaviourEventSchema,
  type ConversationId,
  PlaybookActivationSchema,
} from '@kefu/shared'
import type { PlaybookRepository } from '../Repository'
import { inList, type SqlDatabase } from './SqlDatabase'

export function playbookTables(db: SqlDatabase): PlaybookRepository {
  const boostsOf = async (activationIds: readonly string[]) => {
    const rows = await db.all<{ activation_id: string; conversation_id: string }>(
      `SELECT activation_id, conversation_id FROM playbook_boosts WHERE ${inList('activation_id', activationIds)}
       ORDER BY boosted_at, conversation_id`,
      activationIds,
    )
    const byActivation = new Map<string, ConversationId[]>()
    for (const row of rows) {
      const boosted = byActivation.get(row.activation_id) ?? []
      boosted.push(asConversationId(row.conversation_id))
      byActivation.set(row.activation_id, boosted)
    }
    return byActivation
  }

  return {
    async savePlaybookActivation(activation) {
      await db.run(
        `INSERT INTO playbook_activations (id, activated_at, record) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
        [activation.id, activation.activatedAt, JSON.stringify({ ...activation, boosted: [] })],
      )
    },

    async listPlaybookActivations(limit) {
      const rows = await db.all<{ record: string }>(
        'SELECT record FROM playbook_activations ORDER BY activated_at DESC, id DESC LIMIT ?',
        [limit],
      )
      const activations = rows.map((row) => PlaybookActivationSchema.parse(JSON.parse(row.record)))
      const boosts = await boostsOf(activations.map((activation) => activation.id))
      // Records written before boosts had rows of their own carry their list in the record.
      return activations.map((activation) => ({
        ...activation,
        boosted: [...new Set([...activation.boosted, ...(boosts.get(activation.id) ?? [])])],
      }))
    },

    async boostForPlaybook(activationId, conversationId, at) {
      const boosted = await db.run(
        `INSERT INTO playbook_boosts (activation_id, conversation_id, boosted_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [activationId, conversationId, at],
      )
      return boosted === 1
    },

    async listPlaybookBoosts(activationId) {
      return (await boostsOf([activationId])).get(activationId) ?? []
    },

    async claimProactiveOffer(customerId, ruleId, day, at) {
      const claimed = await db.run(
        `INSERT INTO proactive_offers (customer_id, rule_id, day, offered_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [customerId, ruleId, day, at],
      )
      return claimed === 1
    },

    async recordBehaviourEvent(customerId, event) {
      const recorded = await db.run(
        `INSERT INTO behaviour_events (customer_id, event_id, at, event) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [customerId, event.id, event.at, JSON.stringify(event)],
      )
      return recorded === 1
    },

    async listBehaviourEvents(customerId, since, limit) {
      const rows = await db.all<{ event: string }>(
        `SELECT event FROM behaviour_events WHERE customer_id = ? AND at >= ?
         ORDER BY at DESC, event_id DESC LIMIT ?`,
        [customerId, since, limit],
      )
      return rows.map((row) => BehaviourEventSchema.parse(JSON.parse(row.event))).reverse()
    },

    purgeBehaviourEvents: (olderThan) => db.run('DELETE FROM behaviour_events WHERE at < ?', [olderThan]),
  }
}
