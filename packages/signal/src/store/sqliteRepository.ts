import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  type Alert,
  asTeamId,
  asUserId,
  type CannedReply,
  type Conversation,
  type ConversationId,
  err,
  type HandoverNote,
  KefuError,
  type KnowledgeRecord,
  type KnowledgeUsage,
  type KnowledgeUse,
  type Message,
  ok,
  type PlaybookActivation,
  PlaybookActivationSchema,
  type TeamId,
  type UserId,
} from '@kefu/shared'
import Database from 'better-sqlite3'
import { LRUCache } from 'lru-cache'
import { GroupCommit } from './GroupCommit'
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
import { type CheckpointPolicy, WalCheckpointer } from './WalCheckpointer'

const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

// Open conversations of a busy deployment fit many times over, at about half a kilobyte each.
const CACHED_CONVERSATIONS = 20_000

const STAFF_SELECT = `SELECT s.*, (SELECT group_concat(team_id) FROM staff_teams t WHERE t.staff_id = s.id) AS teams
  FROM staff s`

/** A new message as bound to the insert: its seq, and the attachment as JSON text. */
type InsertMessageParams = Omit<NewMessage, 'attachment'> & { seq: number; attachment: string | null }

/** The embedded store: one SQLite file in WAL mode, safe across a killed process. */
export class SqliteRepository implements Repository {
  private readonly db: Database.Database
  private readonly statements: ReturnType<SqliteRepository['prepare']>
  private readonly appends: GroupCommit<NewMessage, AppendResult>
  private readonly checkpointer: WalCheckpointer | undefined
  /**
   * Recently used conversations as last written. This process is the file's only writer and every
   * write to a conversation goes through this class, so reading one (once per message) needs no query,
   * and a new message's seq is the remembered last one's plus one.
   */
  private readonly conversations = new LRUCache<string, Conversation>({ max: CACHED_CONVERSATIONS })

  /** Opens (creating and migrating) the database at `path`; ':memory:' for a throwaway store. */
  constructor(
    path: string,
    options: { checkpoint?: CheckpointPolicy; onError?: (message: string) => void } = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path)
    this.db.pragma('journal_mode = WAL')
    // NORMAL keeps every committed transaction across a process crash; only an OS crash may lose the last ones.
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    this.migrate()
    this.statements = this.prepare()
    // A message that fails inside the batch's transaction fails alone: it is a single INSERT, which
    // SQLite undoes by itself, so it needs no savepoint of its own. If SQLite has ended the transaction
    // (a full disk, an I/O error), the rest must not run outside it, so the whole batch fails.
    const appendAll = this.db.transaction((messages: readonly NewMessage[]) =>
      messages.map((message) => {
        try {
          return ok(this.appendInTransaction(message))
        } catch (error) {
          if (!this.db.inTransaction) throw error
          // Should the remembered seq be what failed, the next message recounts it.
          this.conversations.delete(message.conversationId)
          return err(error)
        }
      }),
    )
    this.appends = new GroupCommit((messages) => {
      try {
        return appendAll(messages)
      } catch (error) {
        // The seqs given out in a transaction that did not commit were never stored.
        for (const message of messages) this.conversations.delete(message.conversationId)
        throw error
      }
    })
    if (options.checkpoint && path !== ':memory:') {
      const onError = options.onError ?? (() => {})
      this.db.pragma('wal_autocheckpoint = 0')
      // A log that grew while checkpoints could not keep up is cut back when it starts over.
      this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
      this.checkpointer = new WalCheckpointer(path, options.checkpoint, {
        catchUp: () => {
          if (!this.db.open) return
          try {
            this.db.pragma('wal_checkpoint(PASSIVE)')
          } catch (error) {
            onError(String(error))
          }
        },
        onError,
      })
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number
    for (let index = version; index < MIGRATIONS.length; index++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[index] ?? '')
        this.db.pragma(`user_version = ${index + 1}`)
      })()
    }
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run('epoch', randomUUID())
  }

  private prepare() {
    const db = this.db
    return {
      epoch: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'epoch'"),
      upsertTeam: db.prepare(
        `INSERT INTO teams (id, name, answer_target_ms) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, answer_target_ms = excluded.answer_target_ms`,
      ),
      listTeams: db.prepare<[], { id: string; name: string; answer_target_ms: number }>(
        'SELECT * FROM teams ORDER BY id',
      ),
      insertStaff: db.prepare(
        'INSERT INTO staff (id, login, display_name, role, password_hash, capacity) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertStaffTeam: db.prepare('INSERT INTO staff_teams (staff_id, team_id) VALUES (?, ?)'),
      clearStaffTeams: db.prepare('DELETE FROM staff_teams WHERE staff_id = ?'),
      setStaffActive: db.prepare('UPDATE staff SET active = ? WHERE id = ?'),
      staffByLogin: db.prepare<[string], StaffRow>(`${STAFF_SELECT} WHERE s.login = ?`),
      staffById: db.prepare<[string], StaffRow>(`${STAFF_SELECT} WHERE s.id = ?`),
      listStaff: db.prepare<[], StaffRow>(`${STAFF_SELECT} ORDER BY s.login`),
      upsertCustomer: db.prepare(UPSERT_CUSTOMER),
      getCustomer: db.prepare<[string], CustomerRow>('SELECT * FROM customers WHERE id = ?'),
      insertConversation: db.prepare(
        `INSERT INTO conversations (id, customer_id, customer_name, channel, delivery, state, team_id, agent_id,
           priority, created_at, updated_at, queued_at, first_response_at, resolved_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, NULL, ?, ?, ?, ?, NULL, NULL)`,
      ),
      getConversation: db.prepare<[string], ConversationRow>(`${CONVERSATION_SELECT} WHERE c.id = ?`),
      findByCid: db.prepare<[string, string], MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND cid = ?',
      ),
      // The conversation row is not written, so a message dirties as few pages as it can. Nothing
      // changes when the cid is stored already; a seq taken already is a constraint error.
      insertMessage: db.prepare<[InsertMessageParams]>(
        `INSERT INTO messages (conversation_id, seq, cid, author_id, author_role, kind, body, attachment, created_at)
         VALUES (@conversationId, @seq, @cid, @authorId, @authorRole, @kind, @body, @attachment, @createdAt)
         ON CONFLICT (conversation_id, cid) DO NOTHING`,
      ),
      messagesAfter: db.prepare<[string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      messagesBefore: db.prepare<[string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      markRead: db.prepare(
        `INSERT INTO read_marks (conversation_id, user_id, seq) VALUES (?, ?, ?)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = MAX(read_marks.seq, excluded.seq)`,
      ),
      readMarks: db.prepare<[string], { user_id: string; seq: number }>(
        'SELECT user_id, seq FROM read_marks WHERE conversation_id = ?',
      ),
      enqueueOffline: db.prepare(
        `INSERT INTO offline_queue (recipient_id, conversation_id, seq, enqueued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (recipient_id, conversation_id, seq) DO NOTHING`,
      ),
      offlineFor: db.prepare<[string, number], { conversation_id: string; seq: number; enqueued_at: number }>(
        'SELECT conversation_id, seq, enqueued_at FROM offline_queue WHERE recipient_id = ? ORDER BY enqueued_at, seq LIMIT ?',
      ),
      deleteOffline: db.prepare(
        'DELETE FROM offline_queue WHERE recipient_id = ? AND conversation_id = ? AND seq = ?',
      ),
      purgeOffline: db.prepare('DELETE FROM offline_queue WHERE enqueued_at < ?'),
      openReplyWindow: db.prepare(
        `INSERT INTO reply_windows (customer_id, last_inbound_at, replies_used) VALUES (?, ?, 0)
         ON CONFLICT (customer_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, replies_used = 0`,
      ),
      replyWindow: db.prepare<[string], { last_inbound_at: number; replies_used: number }>(
        'SELECT last_inbound_at, replies_used FROM reply_windows WHERE customer_id = ?',
      ),
      takeReply: db.prepare(
        `UPDATE reply_windows SET replies_used = replies_used + 1
         WHERE customer_id = ? AND last_inbound_at > ? AND replies_used < ?`,
      ),
      recordWebhookEvent: db.prepare(
        'INSERT INTO webhook_events (id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
      ),
      hasWebhookEvent: db.prepare('SELECT 1 FROM webhook_events WHERE id = ?'),
      saveAlert: db.prepare(
        `INSERT INTO alerts (id, kind, figure, team_id, value, limit_value, message, raised_at, acknowledged_at, acknowledged_by, conversation_id)
         VALUES (@id, @kind, @figure, @teamId, @value, @limit, @message, @raisedAt, @acknowledgedAt, @acknowledgedBy, @conversationId)
         ON CONFLICT (id) DO NOTHING`,
      ),
      getAlert: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?'),
      saveLiveFigure: db.prepare(
        `INSERT INTO live_figures (bucket, figure, scope, sum, count, max) VALUES (@bucket, @figure, @scope, @sum, @count, @max)
         ON CONFLICT (bucket, figure, scope) DO UPDATE SET sum = excluded.sum, count = excluded.count, max = excluded.max`,
      ),
      forgetLiveFigures: db.prepare('DELETE FROM live_figures WHERE bucket < ?'),
      listLiveFigures: db.prepare<[number], LiveFigureRow>(
        'SELECT bucket, figure, scope, sum, count, max FROM live_figures WHERE bucket >= ? ORDER BY bucket',
      ),
      saveCannedReply: db.prepare(
        'INSERT INTO canned_replies (id, owner_id, team_id, name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      getCannedReply: db.prepare<[string], CannedReplyRow>(
        'SELECT id, owner_id, team_id, name, body FROM canned_replies WHERE id = ?',
      ),
      deleteCannedReply: db.prepare('DELETE FROM canned_replies WHERE id = ?'),
      addHandoverNote: db.prepare(
        'INSERT INTO handover_notes (conversation_id, at, author_id, author_name, note) VALUES (?, ?, ?, ?, ?)',
      ),
      listHandoverNotes: db.prepare<
        [string],
        { at: number; author_id: string; author_name: string; note: string }
      >(
        'SELECT at, author_id, author_name, note FROM handover_notes WHERE conversation_id = ? ORDER BY at, rowid',
      ),
      acknowledgeAlert: db.prepare(
        'UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL',
      ),
    }
  }

  async epoch(): Promise<string> {
    const row = this.statements.epoch.get()
    if (!row) throw new Error('The store has no epoch; migrations did not run')
    return row.value
  }

  async upsertTeam(team: TeamRecord): Promise<void> {
    this.statements.upsertTeam.run(team.id, team.name, team.answerTargetMs)
  }

  async listTeams(): Promise<TeamRecord[]> {
    return this.statements.listTeams
      .all()
      .map((row) => ({ id: asTeamId(row.id), name: row.name, answerTargetMs: row.answer_target_ms }))
  }

  async createStaff(staff: Omit<StaffRecord, 'active'>): Promise<void> {
    this.db.transaction(() => {
      const s = this.statements
      s.insertStaff.run(
        staff.id,
        staff.login,
        staff.displayName,
        staff.role,
        staff.passwordHash,
        staff.capacity,
      )
      for (const team of staff.teams) s.insertStaffTeam.run(staff.id, team)
    })()
  }

  async updateStaff(id: UserId, change: StaffChange): Promise<void> {
    const { teams, active } = change
    this.db.transaction(() => {
      const s = this.statements
      if (active !== undefined) s.setStaffActive.run(active ? 1 : 0, id)
      if (teams === undefined) return
      s.clearStaffTeams.run(id)
      for (const team of teams) s.insertStaffTeam.run(id, team)
    })()
  }

  async findStaffByLogin(login: string): Promise<StaffRecord | undefined> {
    const row = this.statements.staffByLogin.get(login)
    return row && toStaff(row)
  }

  async getStaff(id: UserId): Promise<StaffRecord | undefined> {
    const row = this.statements.staffById.get(id)
    return row && toStaff(row)
  }

  async listStaff(): Promise<StaffRecord[]> {
    return this.statements.listStaff.all().map(toStaff)
  }

  async upsertCustomer(customer: CustomerRecord, at: number): Promise<void> {
    this.statements.upsertCustomer.run(...customerParams(customer, at))
  }

  async getCustomer(id: UserId): Promise<CustomerRecord | undefined> {
    const row = this.statements.getCustomer.get(id)
    return row && toCustomer(row)
  }

  async createConversation(c: NewConversation): Promise<Conversation> {
    this.statements.insertConversation.run(
      c.id,
      c.customerId,
      c.customerName,
      c.channel,
      c.delivery,
      c.teamId,
      c.priority,
      c.createdAt,
      c.createdAt,
      c.createdAt,
    )
    return this.reloadConversation(c.id)
  }

  async getConversation(id: ConversationId): Promise<Conversation | undefined> {
    return this.rememberedConversation(id)
  }

  private rememberedConversation(id: ConversationId): Conversation | undefined {
    const cached = this.conversations.get(id)
    if (cached) return cached
    const row = this.statements.getConversation.get(id)
    return row && this.cacheConversation(toConversation(row))
  }

  async updateConversation(id: ConversationId, patch: ConversationPatch): Promise<Conversation> {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined)
    const assignments = entries.map(([key]) => `${CONVERSATION_COLUMNS[key]} = ?`).join(', ')
    const result = this.db
      .prepare(`UPDATE conversations SET ${assignments} WHERE id = ?`)
      .run(...entries.map(([, value]) => value as string | number | null), id)
    if (result.changes === 0) throw KefuError.notFound('Conversation')
    return this.reloadConversation(id)
  }

  async listConversations(query: ConversationQuery): Promise<Conversation[]> {
    const { sql, params } = conversationListQuery(query, () => '?')
    return this.db
      .prepare<unknown[], ConversationRow>(sql)
      .all(...params)
      .map(toConversation)
  }

  appendMessage(message: NewMessage): Promise<AppendResult> {
    return this.appends.submit(message)
  }

  private appendInTransaction(m: NewMessage): AppendResult {
    const conversation = this.rememberedConversation(m.conversationId)
    if (!conversation) throw KefuError.notFound('Conversation')
    try {
      return this.insertAfter(conversation, m)
    } catch (error) {
      if (!isSeqTaken(error)) throw error
      // Another writer on this file (a second repository, a tool) used the remembered seq: the
      // failed INSERT was undone alone, so count again from the table and take the next one.
      return this.insertAfter(this.reloadConversation(m.conversationId), m)
    }
  }

  private insertAfter(conversation: Conversation, m: NewMessage): AppendResult {
    const s = this.statements
    const message: Message = {
      conversationId: m.conversationId,
      seq: conversation.lastSeq + 1,
      cid: m.cid,
      authorId: m.authorId,
      authorRole: m.authorRole,
      kind: m.kind,
      body: m.body,
      ...(m.attachment ? { attachment: m.attachment } : {}),
      createdAt: m.createdAt,
    }
    const attachment = m.attachment ? JSON.stringify(m.attachment) : null
    const { changes } = s.insertMessage.run({ ...message, attachment })
    if (changes === 0) {
      const existing = s.findByCid.get(m.conversationId, m.cid)
      if (!existing) throw new Error(`Message ${m.cid} was neither inserted nor found`)
      return { message: toMessage(existing), isDuplicate: true }
    }
    this.cacheConversation({ ...conversation, lastSeq: message.seq })
    return { message, isDuplicate: false }
  }

  async listMessagesAfter(
    conversationId: ConversationId,
    afterSeq: number,
    limit: number,
  ): Promise<Message[]> {
    return this.statements.messagesAfter.all(conversationId, afterSeq, limit).map(toMessage)
  }

  async listMessagesBefore(
    conversationId: ConversationId,
    beforeSeq: number,
    limit: number,
  ): Promise<Message[]> {
    return this.statements.messagesBefore.all(conversationId, beforeSeq, limit).map(toMessage).reverse()
  }

  async markRead(conversationId: ConversationId, userId: UserId, seq: number): Promise<void> {
    this.statements.markRead.run(conversationId, userId, seq)
  }

  async readMarks(conversationId: ConversationId): Promise<Map<UserId, number>> {
    return new Map(
      this.statements.readMarks.all(conversationId).map((row) => [asUserId(row.user_id), row.seq]),
    )
  }

  async enqueueOffline(recipientId: UserId, entry: OfflineEntry): Promise<void> {
    this.statements.enqueueOffline.run(recipientId, entry.conversationId, entry.seq, entry.enqueuedAt)
  }

  async takeOffline(recipientId: UserId, limit: number): Promise<OfflineEntry[]> {
    return this.db.transaction(() => {
      const rows = this.statements.offlineFor.all(recipientId, limit)
      for (const row of rows) this.statements.deleteOffline.run(recipientId, row.conversation_id, row.seq)
      return rows.map((row) => ({
        conversationId: row.conversation_id as ConversationId,
        seq: row.seq,
        enqueuedAt: Number(row.enqueued_at),
      }))
    })()
  }

  async purgeOffline(olderThan: number): Promise<number> {
    return this.statements.purgeOffline.run(olderThan).changes
  }

  async openReplyWindow(customerId: UserId, at: number): Promise<void> {
    this.statements.openReplyWindow.run(customerId, at)
  }

  async replyWindow(customerId: UserId): Promise<ReplyWindow | undefined> {
    const row = this.statements.replyWindow.get(customerId)
    return row && { lastInboundAt: Number(row.last_inbound_at), repliesUsed: row.replies_used }
  }

  async takeReply(customerId: UserId, openedAfter: number, limit: number): Promise<boolean> {
    return this.statements.takeReply.run(customerId, openedAfter, limit).changes === 1
  }

  async recordWebhookEvent(id: string, at: number): Promise<boolean> {
    return this.statements.recordWebhookEvent.run(id, at).changes === 1
  }

  async hasWebhookEvent(id: string): Promise<boolean> {
    return this.statements.hasWebhookEvent.get(id) !== undefined
  }

  async saveLiveFigures(rows: readonly LiveFigureRow[], forgetBefore: number): Promise<void> {
    this.db.transaction(() => {
      for (const row of rows) this.statements.saveLiveFigure.run(row)
      this.statements.forgetLiveFigures.run(forgetBefore)
    })()
  }

  async listLiveFigures(since: number): Promise<LiveFigureRow[]> {
    return this.statements.listLiveFigures.all(since).map((row) => ({ ...row, bucket: Number(row.bucket) }))
  }

  async saveCannedReply(reply: CannedReply, at: number): Promise<void> {
    this.statements.saveCannedReply.run(reply.id, reply.ownerId, reply.teamId, reply.name, reply.body, at)
  }

  async listCannedReplies(ownerId: UserId, teamIds: readonly TeamId[]): Promise<CannedReply[]> {
    const teams = teamIds.length === 0 ? '' : ` OR team_id IN (${teamIds.map(() => '?').join(', ')})`
    return this.db
      .prepare<unknown[], CannedReplyRow>(
        `SELECT id, owner_id, team_id, name, body FROM canned_replies WHERE owner_id = ?${teams} ORDER BY name, id`,
      )
      .all(ownerId, ...teamIds)
      .map(toCannedReply)
  }

  async getCannedReply(id: string): Promise<CannedReply | undefined> {
    const row = this.statements.getCannedReply.get(id)
    return row && toCannedReply(row)
  }

  async deleteCannedReply(id: string): Promise<void> {
    this.statements.deleteCannedReply.run(id)
  }

  async addHandoverNote(conversationId: ConversationId, note: HandoverNote): Promise<void> {
    this.statements.addHandoverNote.run(conversationId, note.at, note.authorId, note.authorName, note.note)
  }

  async listHandoverNotes(conversationId: ConversationId): Promise<HandoverNote[]> {
    return this.statements.listHandoverNotes.all(conversationId).map((row) => ({
      at: Number(row.at),
      authorId: asUserId(row.author_id),
      authorName: row.author_name,
      note: row.note,
    }))
  }

  async saveAlert(alert: Alert): Promise<void> {
    this.statements.saveAlert.run({ ...alert, conversationId: alert.conversationId ?? null })
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = this.statements.getAlert.get(id)
    return row && toAlert(row)
  }

  async listAlerts(teamIds: readonly TeamId[], limit: number): Promise<Alert[]> {
    const teams = teamIds.length === 0 ? '' : ` OR team_id IN (${teamIds.map(() => '?').join(', ')})`
    return this.db
      .prepare<unknown[], AlertRow>(
        `SELECT * FROM alerts WHERE team_id IS NULL${teams} ORDER BY raised_at DESC, id DESC LIMIT ?`,
      )
      .all(...teamIds, limit)
      .map(toAlert)
  }

  async acknowledgeAlert(id: string, by: UserId, at: number): Promise<Alert | undefined> {
    this.statements.acknowledgeAlert.run(at, by, id)
    return this.getAlert(id)
  }

  async listKnowledge(): Promise<KnowledgeRecord[]> {
    return this.db
      .prepare<[], KnowledgeEntryRow>(
        'SELECT entry, status, updated_at, updated_by FROM knowledge_entries ORDER BY id',
      )
      .all()
      .map(toKnowledgeRecord)
  }

  async saveKnowledge(records: readonly KnowledgeRecord[]): Promise<void> {
    const save = this.db.prepare(
      `INSERT INTO knowledge_entries (id, entry, status, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, status = excluded.status,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    this.db.transaction(() => {
      for (const { entry, status, updatedAt, updatedBy } of records)
        save.run(entry.id, JSON.stringify(entry), status, updatedAt, updatedBy)
    })()
  }

  async countKnowledgeUse(entryId: string, use: KnowledgeUse, at: number): Promise<void> {
    const column = KNOWLEDGE_USE_COLUMNS[use]
    const lastHit = use === 'hit' ? at : null
    this.db
      .prepare(
        `INSERT INTO knowledge_usage (entry_id, ${column}, last_hit_at) VALUES (?, 1, ?)
         ON CONFLICT (entry_id) DO UPDATE SET ${column} = ${column} + 1,
           last_hit_at = COALESCE(excluded.last_hit_at, last_hit_at)`,
      )
      .run(entryId, lastHit)
  }

  async listKnowledgeUsage(): Promise<KnowledgeUsage[]> {
    return this.db.prepare<[], KnowledgeUsageRow>('SELECT * FROM knowledge_usage').all().map(toKnowledgeUsage)
  }

  async savePlaybookActivation(activation: PlaybookActivation): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO playbook_activations (id, activated_at, record) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
      )
      .run(activation.id, activation.activatedAt, JSON.stringify(activation))
  }

  async listPlaybookActivations(limit: number): Promise<PlaybookActivation[]> {
    return this.db
      .prepare<[number], { record: string }>(
        'SELECT record FROM playbook_activations ORDER BY activated_at DESC, id DESC LIMIT ?',
      )
      .all(limit)
      .map((row) => PlaybookActivationSchema.parse(JSON.parse(row.record)))
  }

  async claimProactiveOffer(customerId: UserId, ruleId: string, day: string, at: number): Promise<boolean> {
    const claimed = this.db
      .prepare(
        `INSERT INTO proactive_offers (customer_id, rule_id, day, offered_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(customerId, ruleId, day, at)
    return claimed.changes === 1
  }

  async close(): Promise<void> {
    if (!this.db.open) return
    this.appends.flush()
    await this.checkpointer?.stop()
    this.db.pragma('wal_checkpoint(TRUNCATE)')
    this.db.close()
  }

  /** Reads a conversation just written, and remembers it. */
  private reloadConversation(id: ConversationId): Conversation {
    const row = this.statements.getConversation.get(id)
    if (!row) throw KefuError.notFound('Conversation')
    return this.cacheConversation(toConversation(row))
  }

  private cacheConversation(conversation: Conversation): Conversation {
    const frozen = Object.freeze(conversation)
    this.conversations.set(conversation.id, frozen)
    return frozen
  }
}

/** True for SQLite's answer to an INSERT whose (conversation, seq) is taken. */
function isSeqTaken(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
