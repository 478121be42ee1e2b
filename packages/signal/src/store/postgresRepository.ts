import { randomUUID } from 'node:crypto'
import {
  type Alert,
  asTeamId,
  asUserId,
  type CannedReply,
  type Conversation,
  type ConversationId,
  type HandoverNote,
  KefuError,
  type KnowledgeRecord,
  type KnowledgeUsage,
  type KnowledgeUse,
  type Message,
  type PlaybookActivation,
  PlaybookActivationSchema,
  type TeamId,
  type UserId,
} from '@kefu/shared'
import type pg from 'pg'
import { MIGRATIONS } from './migrations'
import type {
  AppendResult,
  ConversationPatch,
  ConversationQuery,
  CustomerRecord,
  LiveFigureRow,
  NewConversation,
  NewMessage,
  OfflineEntry,
  ReplyWindow,
  Repository,
  StaffChange,
  StaffRecord,
  TeamRecord,
} from './Repository'
import {
  type AlertRow,
  type CannedReplyRow,
  CONVERSATION_COLUMNS,
  CONVERSATION_SELECT,
  type ConversationRow,
  type CustomerRow,
  conversationListQuery,
  customerParams,
  KNOWLEDGE_USE_COLUMNS,
  type KnowledgeEntryRow,
  type KnowledgeUsageRow,
  type MessageRow,
  numberedPlaceholders,
  type StaffRow,
  toAlert,
  toCannedReply,
  toConversation,
  toCustomer,
  toKnowledgeRecord,
  toKnowledgeUsage,
  toMessage,
  toStaff,
  UPSERT_CUSTOMER,
} from './rows'

const UPSERT_CUSTOMER_NUMBERED = numberedPlaceholders(UPSERT_CUSTOMER)
const STAFF_SELECT = `SELECT s.*, (SELECT string_agg(team_id, ',' ORDER BY team_id) FROM staff_teams t WHERE t.staff_id = s.id) AS teams
  FROM staff s`
/** Any number, held by every node while it migrates, so two nodes starting at once migrate once. */
const MIGRATION_LOCK = 0x6b656675

/** A bound parameter; a list binds as a PostgreSQL array (`= ANY($n)`). */
type Value = string | number | boolean | null | readonly string[]

/**
 * The store of a cluster: PostgreSQL, shared by every signal node. The same schema as the embedded
 * SQLite store (its migrations are portable SQL); where several nodes write at once it relies on
 * row locks and constraints rather than on being the only writer, so it remembers nothing between
 * calls.
 */
export class PostgresRepository implements Repository {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects to `url` and brings its schema up to date. */
  static async open(url: string, options: { maxConnections?: number } = {}): Promise<PostgresRepository> {
    // Loaded only by a server that uses PostgreSQL: every other start is that much sooner.
    const { default: postgres } = await import('pg')
    const pool = new postgres.Pool({ connectionString: url, max: options.maxConnections ?? 10 })
    const repo = new PostgresRepository(pool)
    try {
      await repo.migrate()
    } catch (error) {
      await pool.end()
      throw error
    }
    return repo
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
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

  async epoch(): Promise<string> {
    const row = await this.one<{ value: string }>("SELECT value FROM meta WHERE key = 'epoch'")
    if (!row) throw new Error('The store has no epoch; migrations did not run')
    return row.value
  }

  async upsertTeam(team: TeamRecord): Promise<void> {
    await this.run(
      `INSERT INTO teams (id, name, answer_target_ms) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, answer_target_ms = excluded.answer_target_ms`,
      [team.id, team.name, team.answerTargetMs],
    )
  }

  async listTeams(): Promise<TeamRecord[]> {
    const rows = await this.all<{ id: string; name: string; answer_target_ms: number }>(
      'SELECT * FROM teams ORDER BY id',
    )
    return rows.map((row) => ({ id: asTeamId(row.id), name: row.name, answerTargetMs: row.answer_target_ms }))
  }

  async createStaff(staff: Omit<StaffRecord, 'active'>): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(
        'INSERT INTO staff (id, login, display_name, role, password_hash, capacity) VALUES ($1, $2, $3, $4, $5, $6)',
        [staff.id, staff.login, staff.displayName, staff.role, staff.passwordHash, staff.capacity],
      )
      await setTeams(client, staff.id, staff.teams)
    })
  }

  async updateStaff(id: UserId, change: StaffChange): Promise<void> {
    const { teams, active } = change
    await this.transaction(async (client) => {
      if (active !== undefined)
        await client.query('UPDATE staff SET active = $1 WHERE id = $2', [active ? 1 : 0, id])
      if (teams === undefined) return
      await client.query('DELETE FROM staff_teams WHERE staff_id = $1', [id])
      await setTeams(client, id, teams)
    })
  }

  async findStaffByLogin(login: string): Promise<StaffRecord | undefined> {
    const row = await this.one<StaffRow>(`${STAFF_SELECT} WHERE s.login = $1`, [login])
    return row && toStaff(row)
  }

  async getStaff(id: UserId): Promise<StaffRecord | undefined> {
    const row = await this.one<StaffRow>(`${STAFF_SELECT} WHERE s.id = $1`, [id])
    return row && toStaff(row)
  }

  async listStaff(): Promise<StaffRecord[]> {
    return (await this.all<StaffRow>(`${STAFF_SELECT} ORDER BY s.login`)).map(toStaff)
  }

  async upsertCustomer(c: CustomerRecord, at: number): Promise<void> {
    await this.run(UPSERT_CUSTOMER_NUMBERED, customerParams(c, at))
  }

  async getCustomer(id: UserId): Promise<CustomerRecord | undefined> {
    const row = await this.one<CustomerRow>('SELECT * FROM customers WHERE id = $1', [id])
    return row && toCustomer(row)
  }

  async createConversation(c: NewConversation): Promise<Conversation> {
    await this.run(
      `INSERT INTO conversations (id, customer_id, customer_name, channel, delivery, state, team_id, agent_id,
         priority, created_at, updated_at, queued_at, first_response_at, resolved_at)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, NULL, $7, $8, $8, $8, NULL, NULL)`,
      [c.id, c.customerId, c.customerName, c.channel, c.delivery, c.teamId, c.priority, c.createdAt],
    )
    return this.existingConversation(c.id)
  }

  async getConversation(id: ConversationId): Promise<Conversation | undefined> {
    const row = await this.one<ConversationRow>(`${CONVERSATION_SELECT} WHERE c.id = $1`, [id])
    return row && toConversation(row)
  }

  async updateConversation(id: ConversationId, patch: ConversationPatch): Promise<Conversation> {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined)
    const assignments = entries.map(([key], at) => `${CONVERSATION_COLUMNS[key]} = $${at + 1}`).join(', ')
    const changed = await this.run(
      `UPDATE conversations SET ${assignments} WHERE id = $${entries.length + 1}`,
      [...entries.map(([, value]) => value as Value), id],
    )
    if (changed === 0) throw KefuError.notFound('Conversation')
    return this.existingConversation(id)
  }

  async listConversations(query: ConversationQuery): Promise<Conversation[]> {
    const { sql, params } = conversationListQuery(query, (position) => `$${position}`)
    return (await this.all<ConversationRow>(sql, params)).map(toConversation)
  }

  /**
   * One transaction per message: the conversation's row lock orders the writers of one conversation,
   * on this node or any other, so each takes the seq after the last one stored and none leaves a gap.
   */
  async appendMessage(m: NewMessage): Promise<AppendResult> {
    return this.transaction(async (client) => {
      const locked = await client.query('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [
        m.conversationId,
      ])
      if (locked.rowCount === 0) throw KefuError.notFound('Conversation')
      const stored = await client.query<MessageRow>(
        'SELECT * FROM messages WHERE cid = $1 AND conversation_id = $2',
        [m.cid, m.conversationId],
      )
      if (stored.rows[0]) return { message: toMessage(stored.rows[0]), isDuplicate: true }
      const inserted = await client.query<MessageRow>(
        `INSERT INTO messages (conversation_id, seq, cid, author_id, author_role, kind, body, attachment, created_at)
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM messages WHERE conversation_id = $1
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
        ],
      )
      return { message: toMessage(inserted.rows[0] as MessageRow), isDuplicate: false }
    })
  }

  async listMessagesAfter(
    conversationId: ConversationId,
    afterSeq: number,
    limit: number,
  ): Promise<Message[]> {
    const rows = await this.all<MessageRow>(
      'SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [conversationId, afterSeq, limit],
    )
    return rows.map(toMessage)
  }

  async listMessagesBefore(
    conversationId: ConversationId,
    beforeSeq: number,
    limit: number,
  ): Promise<Message[]> {
    const rows = await this.all<MessageRow>(
      'SELECT * FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
      [conversationId, beforeSeq, limit],
    )
    return rows.map(toMessage).reverse()
  }

  async markRead(conversationId: ConversationId, userId: UserId, seq: number): Promise<void> {
    await this.run(
      `INSERT INTO read_marks (conversation_id, user_id, seq) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = GREATEST(read_marks.seq, excluded.seq)`,
      [conversationId, userId, seq],
    )
  }

  async readMarks(conversationId: ConversationId): Promise<Map<UserId, number>> {
    const rows = await this.all<{ user_id: string; seq: number }>(
      'SELECT user_id, seq FROM read_marks WHERE conversation_id = $1',
      [conversationId],
    )
    return new Map(rows.map((row) => [asUserId(row.user_id), row.seq]))
  }

  async enqueueOffline(recipientId: UserId, entry: OfflineEntry): Promise<void> {
    await this.run(
      `INSERT INTO offline_queue (recipient_id, conversation_id, seq, enqueued_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (recipient_id, conversation_id, seq) DO NOTHING`,
      [recipientId, entry.conversationId, entry.seq, entry.enqueuedAt],
    )
  }

  async takeOffline(recipientId: UserId, limit: number): Promise<OfflineEntry[]> {
    // Deleted as they are read: two nodes handing a recipient's messages over take each one once.
    const rows = await this.all<{ conversation_id: string; seq: number; enqueued_at: string }>(
      `DELETE FROM offline_queue WHERE (recipient_id, conversation_id, seq) IN (
         SELECT recipient_id, conversation_id, seq FROM offline_queue WHERE recipient_id = $1
         ORDER BY enqueued_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING conversation_id, seq, enqueued_at`,
      [recipientId, limit],
    )
    return rows
      .map((row) => ({
        conversationId: row.conversation_id as ConversationId,
        seq: row.seq,
        enqueuedAt: Number(row.enqueued_at),
      }))
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.seq - b.seq)
  }

  async purgeOffline(olderThan: number): Promise<number> {
    return this.run('DELETE FROM offline_queue WHERE enqueued_at < $1', [olderThan])
  }

  async openReplyWindow(customerId: UserId, at: number): Promise<void> {
    await this.run(
      `INSERT INTO reply_windows (customer_id, last_inbound_at, replies_used) VALUES ($1, $2, 0)
       ON CONFLICT (customer_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, replies_used = 0`,
      [customerId, at],
    )
  }

  async replyWindow(customerId: UserId): Promise<ReplyWindow | undefined> {
    const row = await this.one<{ last_inbound_at: string; replies_used: number }>(
      'SELECT last_inbound_at, replies_used FROM reply_windows WHERE customer_id = $1',
      [customerId],
    )
    return row && { lastInboundAt: Number(row.last_inbound_at), repliesUsed: row.replies_used }
  }

  async takeReply(customerId: UserId, openedAfter: number, limit: number): Promise<boolean> {
    const changed = await this.run(
      `UPDATE reply_windows SET replies_used = replies_used + 1
       WHERE customer_id = $1 AND last_inbound_at > $2 AND replies_used < $3`,
      [customerId, openedAfter, limit],
    )
    return changed === 1
  }

  async recordWebhookEvent(id: string, at: number): Promise<boolean> {
    const added = await this.run(
      'INSERT INTO webhook_events (id, received_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [id, at],
    )
    return added === 1
  }

  async hasWebhookEvent(id: string): Promise<boolean> {
    return (await this.one('SELECT 1 FROM webhook_events WHERE id = $1', [id])) !== undefined
  }

  async addHandoverNote(conversationId: ConversationId, note: HandoverNote): Promise<void> {
    await this.run(
      'INSERT INTO handover_notes (conversation_id, at, author_id, author_name, note) VALUES ($1, $2, $3, $4, $5)',
      [conversationId, note.at, note.authorId, note.authorName, note.note],
    )
  }

  async listHandoverNotes(conversationId: ConversationId): Promise<HandoverNote[]> {
    // Notes are never changed or deleted, so their order in the table (ctid) is the order they were
    // written: it only decides between two notes of the same millisecond.
    const rows = await this.all<{ at: string; author_id: string; author_name: string; note: string }>(
      'SELECT at, author_id, author_name, note FROM handover_notes WHERE conversation_id = $1 ORDER BY at, ctid',
      [conversationId],
    )
    return rows.map((row) => ({
      at: Number(row.at),
      authorId: asUserId(row.author_id),
      authorName: row.author_name,
      note: row.note,
    }))
  }

  async saveCannedReply(reply: CannedReply, at: number): Promise<void> {
    await this.run(
      'INSERT INTO canned_replies (id, owner_id, team_id, name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [reply.id, reply.ownerId, reply.teamId, reply.name, reply.body, at],
    )
  }

  async listCannedReplies(ownerId: UserId, teamIds: readonly TeamId[]): Promise<CannedReply[]> {
    const rows = await this.all<CannedReplyRow>(
      `SELECT id, owner_id, team_id, name, body FROM canned_replies
       WHERE owner_id = $1 OR team_id = ANY($2::text[]) ORDER BY name, id`,
      [ownerId, teamIds],
    )
    return rows.map(toCannedReply)
  }

  async getCannedReply(id: string): Promise<CannedReply | undefined> {
    const row = await this.one<CannedReplyRow>(
      'SELECT id, owner_id, team_id, name, body FROM canned_replies WHERE id = $1',
      [id],
    )
    return row && toCannedReply(row)
  }

  async deleteCannedReply(id: string): Promise<void> {
    await this.run('DELETE FROM canned_replies WHERE id = $1', [id])
  }

  async saveLiveFigures(rows: readonly LiveFigureRow[], forgetBefore: number): Promise<void> {
    await this.transaction(async (client) => {
      for (const row of rows) {
        await client.query(
          `INSERT INTO live_figures (bucket, figure, scope, sum, count, max) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (bucket, figure, scope) DO UPDATE SET sum = excluded.sum, count = excluded.count, max = excluded.max`,
          [row.bucket, row.figure, row.scope, row.sum, row.count, row.max],
        )
      }
      await client.query('DELETE FROM live_figures WHERE bucket < $1', [forgetBefore])
    })
  }

  async listLiveFigures(since: number): Promise<LiveFigureRow[]> {
    const rows = await this.all<Omit<LiveFigureRow, 'bucket'> & { bucket: string }>(
      'SELECT bucket, figure, scope, sum, count, max FROM live_figures WHERE bucket >= $1 ORDER BY bucket',
      [since],
    )
    return rows.map((row) => ({ ...row, bucket: Number(row.bucket) }))
  }

  async saveAlert(alert: Alert): Promise<void> {
    await this.run(
      `INSERT INTO alerts (id, kind, figure, team_id, value, limit_value, message, raised_at, acknowledged_at, acknowledged_by, conversation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = await this.one<AlertRow>('SELECT * FROM alerts WHERE id = $1', [id])
    return row && toAlert(row)
  }

  async listAlerts(teamIds: readonly TeamId[], limit: number): Promise<Alert[]> {
    const rows = await this.all<AlertRow>(
      `SELECT * FROM alerts WHERE team_id IS NULL OR team_id = ANY($1::text[])
       ORDER BY raised_at DESC, id DESC LIMIT $2`,
      [teamIds, limit],
    )
    return rows.map(toAlert)
  }

  async acknowledgeAlert(id: string, by: UserId, at: number): Promise<Alert | undefined> {
    await this.run(
      'UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL',
      [at, by, id],
    )
    return this.getAlert(id)
  }

  async listKnowledge(): Promise<KnowledgeRecord[]> {
    const rows = await this.all<KnowledgeEntryRow>(
      'SELECT entry, status, updated_at, updated_by FROM knowledge_entries ORDER BY id',
    )
    return rows.map(toKnowledgeRecord)
  }

  async saveKnowledge(records: readonly KnowledgeRecord[]): Promise<void> {
    await this.transaction(async (client) => {
      for (const { entry, status, updatedAt, updatedBy } of records) {
        await client.query(
          `INSERT INTO knowledge_entries (id, entry, status, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, status = excluded.status,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [entry.id, JSON.stringify(entry), status, updatedAt, updatedBy],
        )
      }
    })
  }

  async countKnowledgeUse(entryId: string, use: KnowledgeUse, at: number): Promise<void> {
    const column = KNOWLEDGE_USE_COLUMNS[use]
    await this.run(
      `INSERT INTO knowledge_usage (entry_id, ${column}, last_hit_at) VALUES ($1, 1, $2)
       ON CONFLICT (entry_id) DO UPDATE SET ${column} = knowledge_usage.${column} + 1,
         last_hit_at = COALESCE(excluded.last_hit_at, knowledge_usage.last_hit_at)`,
      [entryId, use === 'hit' ? at : null],
    )
  }

  async listKnowledgeUsage(): Promise<KnowledgeUsage[]> {
    return (await this.all<KnowledgeUsageRow>('SELECT * FROM knowledge_usage')).map(toKnowledgeUsage)
  }

  async savePlaybookActivation(activation: PlaybookActivation): Promise<void> {
    await this.run(
      `INSERT INTO playbook_activations (id, activated_at, record) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
      [activation.id, activation.activatedAt, JSON.stringify(activation)],
    )
  }

  async listPlaybookActivations(limit: number): Promise<PlaybookActivation[]> {
    const rows = await this.all<{ record: string }>(
      'SELECT record FROM playbook_activations ORDER BY activated_at DESC, id DESC LIMIT $1',
      [limit],
    )
    return rows.map((row) => PlaybookActivationSchema.parse(JSON.parse(row.record)))
  }

  async claimProactiveOffer(customerId: UserId, ruleId: string, day: string, at: number): Promise<boolean> {
    const claimed = await this.run(
      `INSERT INTO proactive_offers (customer_id, rule_id, day, offered_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [customerId, ruleId, day, at],
    )
    return claimed === 1
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }

  private async existingConversation(id: ConversationId): Promise<Conversation> {
    const conversation = await this.getConversation(id)
    if (!conversation) throw KefuError.notFound('Conversation')
    return conversation
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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

  /** Runs a statement; how many rows it changed. */
  private async run(sql: string, params: readonly Value[] = []): Promise<number> {
    return (await this.pool.query(sql, [...params])).rowCount ?? 0
  }

  private async all<Row extends pg.QueryResultRow>(
    sql: string,
    params: readonly Value[] = [],
  ): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, [...params])).rows
  }

  private async one<Row extends pg.QueryResultRow>(
    sql: string,
    params: readonly Value[] = [],
  ): Promise<Row | undefined> {
    return (await this.all<Row>(sql, params))[0]
  }
}

async function setTeams(client: pg.PoolClient, staffId: UserId, teams: readonly TeamId[]): Promise<void> {
  for (const team of teams) {
    await client.query('INSERT INTO staff_teams (staff_id, team_id) VALUES ($1, $2)', [staffId, team])
  }
}
