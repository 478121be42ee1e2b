import type { ConversationId } from '@kefu/shared'
import type { DeliveryRepository } from '../Repository'
import type { SqlDatabase } from './SqlDatabase'

export function deliveryTables(db: SqlDatabase): DeliveryRepository {
  return {
    async enqueueOffline(recipientId, entry) {
      await db.run(
        `INSERT INTO offline_queue (recipient_id, conversation_id, seq, enqueued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (recipient_id, conversation_id, seq) DO NOTHING`,
        [recipientId, entry.conversationId, entry.seq, entry.enqueuedAt],
      )
    },

    async takeOffline(recipientId, limit) {
      // Deleted as they are read: two nodes handing a recipient's messages over take each one once.
      const rows = await db.all<{ conversation_id: string; seq: number; enqueued_at: number | string }>(
        `DELETE FROM offline_queue WHERE (recipient_id, conversation_id, seq) IN (
           SELECT recipient_id, conversation_id, seq FROM offline_queue WHERE recipient_id = ?
           ORDER BY enqueued_at, seq LIMIT ? ${db.dialect.skipLocked})
         RETURNING conversation_id, seq, enqueued_at`,
        [recipientId, limit],
      )
      // RETURNING gives rows in no promised order.
      return rows
        .map((row) => ({
          conversationId: row.conversation_id as ConversationId,
          seq: row.seq,
          enqueuedAt: Number(row.enqueued_at),
        }))
        .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.seq - b.seq)
    },

    purgeOffline: (olderThan) => db.run('DELETE FROM offline_queue WHERE enqueued_at < ?', [olderThan]),

    async openReplyWindow(customerId, at) {
      await db.run(
        `INSERT INTO reply_windows (customer_id, last_inbound_at, replies_used) VALUES (?, ?, 0)
         ON CONFLICT (customer_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, replies_used = 0`,
        [customerId, at],
      )
    },

    async replyWindow(customerId) {
      const row = await db.one<{ last_inbound_at: number | string; replies_used: number }>(
        'SELECT last_inbound_at, replies_used FROM reply_windows WHERE customer_id = ?',
        [customerId],
      )
      return row && { lastInboundAt: Number(row.last_inbound_at), repliesUsed: row.replies_used }
    },

    async takeReply(customerId, openedAfter, limit) {
      const changed = await db.run(
        `UPDATE reply_windows SET replies_used = replies_used + 1
         WHERE customer_id = ? AND last_inbound_at > ? AND replies_used < ?`,
        [customerId, openedAfter, limit],
      )
      return changed === 1
    },

    async recordWebhookEvent(id, at) {
      const added = await db.run(
        'INSERT INTO webhook_events (id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
        [id, at],
      )
      return added === 1
    },

    async hasWebhookEvent(id) {
      return (await db.one('SELECT 1 FROM webhook_events WHERE id = ?', [id])) !== undefined
    },

    purgeWebhookEvents: (olderThan) =>
      db.run('DELETE FROM webhook_events WHERE received_at < ?', [olderThan]),

    async readUpstreamToken(name) {
      const row = await db.one<{ value: string; expires_at: number | string }>(
        'SELECT value, expires_at FROM upstream_tokens WHERE name = ?',
        [name],
      )
      return row && { value: row.value, expiresAt: Number(row.expires_at) }
    },

    async saveUpstreamToken(name, token) {
      await db.run(
        `INSERT INTO upstream_tokens (name, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
        [name, token.value, token.expiresAt],
      )
    },

    async forgetUpstreamToken(name, value) {
      await db.run('DELETE FROM upstream_tokens WHERE name = ? AND value = ?', [name, value])
    },
  }
}
