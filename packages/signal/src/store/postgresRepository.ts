import { randomUUID } from 'node:crypto'
import { KefuError } from '@kefu/shared'
import { LRUCache } from 'lru-cache'
import type pg from 'pg'
import { MIGRATIONS } from './migrations'
import type { Admits, AppendedWhile, NewMessage, Repository } from './Repository'
import { MESSAGE_BY_CID } from './sql/conversationTables'
import { type ConversationRow, type MessageRow, toConversation, toMessage } from './sql/rows'
import type { SqlDatabase, SqlStatement, SqlValue } from './sql/SqlDatabase'
import { sqlRepository } from './sql/sqlRepository'

/** Any number, held by every node while it migrates, so two nodes starting at once migrate once. */
const MIGRATION_LOCK = 0x6b656675

// Statements named and numbered for PostgreSQL, with room for lists whose length varies.
const PREPARED_STATEMENTS = 1000

/**
 * The store of a cluster: PostgreSQL, shared by every signal node. The same schema and statements
 * as the embedded SQLite store; where several nodes write at once it relies on row locks and
 * constraints rather than on being the only writer, so it remembers nothing between calls.
 * Connects to `url` and brings its schema up to date.
 */
export async function openPostgresRepository(
  url: string,
  options: { maxConnections?: number; onConnectionLost?: (error: Error) => void } = {},
): Promise<Repository> {
  // Loaded only by a server that uses PostgreSQL: every other start is that much sooner.
  const { default: postgres } = await import('pg')
  const pool = new postgres.Pool({ connectionString: url, max: options.maxConnections ?? 10 })
  // An idle connection PostgreSQL dropped (a restart, a failover) is the pool's to replace, not a crash.
  pool.on('error', options.onConnectionLost ?? (() => {}))
  const db = new PostgresDatabase(pool)
  try {
    await db.migrate()
  } catch (error) {
    await pool.end()
    throw error
  }
  return sqlRepository(db, {
    appendMessage: (message, admits) => db.appendMessage(message, admits),
    async close() {
      if (!pool.ended) await pool.end()
    },
  })
}

class PostgresDatabase implements SqlDatabase {
  readonly dialect = { insertionOrder: 'ctid', skipLocked: 'FOR UPDATE SKIP LOCKED' }
  private readonly prepared = new LRUCache<string, { name: string; text: string }>({
    max: PREPARED_STATEMENTS,
  })
  private statementsNamed = 0

  constructor(private readonly pool: pg.Pool) {}

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.pool.query(this.statement(sql, params))).rowCount ?? 0
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.pool.query(this.statement(sql, params))).rows as Row[]
  }

  async one<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await this.all<Row>(sql, params))[0]
  }

  async transaction(statements: readonly SqlStatement[]): Promise<void> {
    await this.transactionWith(async (client) => {
      for (const { sql, params } of statements) await client.query(this.statement(sql, params))
    })
  }

  async migrate(): Promise<void> {
    await this.transactionWith(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version')
      const version = rows[0]?.version ?? 0
      if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)')
      for (let index = version; index < MIGRATIONS.length; index++)
        await client.query(MIGRATIONS[index] ?? '')
      await client.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length])
      await client.query("INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING", [
        randomUUID(),
      ])
    })
  }

  /**
   * One transaction per message: the conversation's row lock orders the writers of one conversation,
   * on this node or any other, so each takes the seq after the last one stored and none leaves a gap.
   * The same lock makes the state it reads the state the message is stored in.
   */
  appendMessage(m: NewMessage, admits?: Admits): Promise<AppendedWhile | undefined> {
    return this.transactionWith(async (client) => {
      // The last seq is the message's to take, below: counting it here would read the messages twice.
      const locked = await client.query<ConversationRow>(
        this.statement('SELECT c.*, 0 AS last_seq FROM conversations c WHERE c.id = ? FOR UPDATE', [
          m.conversationId,
        ]),
      )
      const row = locked.rows[0]
      if (!row) throw KefuError.notFound('Conversation')
      const conversation = toConversation(row)
      const storedAlready = async (): Promise<AppendedWhile | undefined> => {
        const stored = await client.query<MessageRow>(
          this.statement(MESSAGE_BY_CID, [m.conversationId, m.cid]),
        )
        return stored.rows[0] && { message: toMessage(stored.rows[0]), isDuplicate: true, conversation }
      }
      if (admits && !admits(conversation)) return storedAlready()
      // A resent message costs a lookup only when it is one: the insert does nothing for a known cid.
      const inserted = await client.query<MessageRow>(
        this.statement(
          `INSERT INTO messages (conversation_id, seq, cid, author_id, author_role, kind, body, attachment, created_at)
           SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM messages WHERE conversation_id = ?
           ON CONFLICT (conversation_id, cid) DO NOTHING
           RETURNING *`,
          [
            m.conversationId,
            m.cid,
            m.authorId,
            m.authorRole,
            m.kind,
            m.body,
            m.attachment ? JSON.stringify(m.attachment) : null,
            m.createdAt,
            m.conversationId,
          ],
        ),
      )
      const stored = inserted.rows[0]
      return stored ? { message: toMessage(stored), isDuplicate: false, conversation } : storedAlready()
    })
  }

  private async transactionWith<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  /**
   * A statement with its `?` placeholders as PostgreSQL's `$1`, `$2`…, in order, under a name of its
   * own: each connection parses and plans a named statement once, not on every run, which was most
   * of what the database spent on a message. A name is never given to another text.
   */
  private statement(sql: string, params: readonly SqlValue[]): pg.QueryConfig {
    let prepared = this.prepared.get(sql)
    if (prepared === undefined) {
      let position = 0
      prepared = { name: `s${++this.statementsNamed}`, text: sql.replace(/\?/g, () => `$${++position}`) }
      this.prepared.set(sql, prepared)
    }
    return { ...prepared, values: [...params] }
  }
}
