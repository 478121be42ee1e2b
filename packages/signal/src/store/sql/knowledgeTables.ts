import type { KnowledgeUse } from '@kefu/shared'
import type { KnowledgeRepository } from '../Repository'
import { type KnowledgeEntryRow, type KnowledgeUsageRow, toKnowledgeRecord, toKnowledgeUsage } from './rows'
import type { SqlDatabase } from './SqlDatabase'

/** The knowledge counter each use adds to. */
const KNOWLEDGE_USE_COLUMNS: Record<KnowledgeUse, string> = {
  hit: 'hits',
  helped: 'helped',
  not_helped: 'not_helped',
  handoff: 'handoffs',
}

export function knowledgeTables(db: SqlDatabase): KnowledgeRepository {
  return {
    async listKnowledge() {
      const rows = await db.all<KnowledgeEntryRow>(
        'SELECT entry, status, updated_at, updated_by FROM knowledge_entries ORDER BY id',
      )
      return rows.map(toKnowledgeRecord)
    },

    async saveKnowledge(records) {
      await db.transaction(
        records.map(({ entry, status, updatedAt, updatedBy }) => ({
          sql: `INSERT INTO knowledge_entries (id, entry, status, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, status = excluded.status,
                  updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          params: [entry.id, JSON.stringify(entry), status, updatedAt, updatedBy],
        })),
      )
    },

    async countKnowledgeUse(entryId, use, at) {
      const column = KNOWLEDGE_USE_COLUMNS[use]
      await db.run(
        `INSERT INTO knowledge_usage (entry_id, ${column}, last_hit_at) VALUES (?, 1, ?)
         ON CONFLICT (entry_id) DO UPDATE SET ${column} = knowledge_usage.${column} + 1,
           last_hit_at = COALESCE(excluded.last_hit_at, knowledge_usage.last_hit_at)`,
        [entryId, use === 'hit' ? at : null],
      )
    },

    async listKnowledgeUsage() {
      return (await db.all<KnowledgeUsageRow>('SELECT * FROM knowledge_usage')).map(toKnowledgeUsage)
    },
  }
}
