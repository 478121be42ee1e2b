import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { type Conversation, type ConversationId, err, KefuError, type Message, ok } from '@kefu/shared'
import Database from 'better-sqlite3'
import { LRUCache } from 'lru-cache'
import { GroupCommit } from './GroupCommit'
import { MIGRATIONS } from './migrations'
import type { Admits, AppendedWhile, NewMessage, Repository } from './Repository'
import { CONVERSATION_BY_ID, type ConversationMemory, MESSAGE_BY_CID } from './sql/conversationTables'
import { type ConversationRow, type MessageRow, toConversation, toMessage } from './sql/rows'
import type { SqlDatabase, SqlStatement, SqlValue } from './sql/SqlDatabase'
import { sqlRepository } from './sql/sqlRepository'
import { type CheckpointPolicy, WalCheckpointer } from './WalCheckpointer'

const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

// Open conversations of a busy deployment fit many times over, at about half a kilobyte each.
const CACHED_CONVERSATIONS = 20_000

// Every statement the store runs, with room for the lists whose length varies (teams, states).
const PREPARED_STATEMENTS = 1000

/**
 * The embedded store: one SQLite file in WAL mode, safe across a killed process. Opens (creating
 * and migrating) the database at `path`; ':memory:' for a throwaway store.
 */
export function openSqliteRepository(
  path: string,
  options: { checkpoint?: CheckpointPolicy; onError?: (message: string) => void } = {},
): Repository {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  // NORMAL keeps every committed transaction across a process crash; only an OS crash may lose the last ones.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  const sql = new SqliteDatabase(db)
  const memory = new RememberedConversations()
  const messages = new SqliteMessageLog(sql, memory)
  const checkpointer =
    options.checkpoint && path !== ':memory:' && checkpointsOf(db, path, options.checkpoint, options.onError)
  return sqlRepository(sql, {
    appendMessage: (message, admits) => messages.append(message, admits),
    memory,
    async close() {
      if (!db.open) return
      messages.flush()
      if (checkpointer) await checkpointer.stop()
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
    },
  })
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  for (let index = version; index < MIGRATIONS.length; index++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[index] ?? '')
      db.pragma(`user_version = ${index + 1}`)
    })()
  }
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
    'epoch',
    randomUUID(),
  )
}

function checkpointsOf(
  db: Database.Database,
  path: string,
  policy: CheckpointPolicy,
  onError: (message: string) => void = () => {},
): WalCheckpointer {
  db.pragma('wal_autocheckpoint = 0')
  // A log that grew while checkpoints could not keep up is cut back when it starts over.
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
  return new WalCheckpointer(path, policy, {
    catchUp: () => {
      if (!db.open) return
      try {
        db.pragma('wal_checkpoint(PASSIVE)')
      } catch (error) {
        onError(String(error))
      }
    },
    onError,
  })
}

/** better-sqlite3 under the shared statements: each statement prepared once, run synchronously. */
class SqliteDatabase implements SqlDatabase {
  readonly dialect = { insertionOrder: 'rowid', skipLocked: '' }
  private readonly statements = new LRUCache<string, Database.Statement<unknown[]>>({
    max: PREPARED_STATEMENTS,
  })

  constructor(readonly db: Database.Database) {}

  prepared<Row = unknown>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement as Database.Statement<unknown[], Row>
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.prepared(sql).run(...params).changes
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.prepared<Row>(sql).all(...params)
  }

  async one<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.prepared<Row>(sql).get(...params)
  }

  async transaction(statements: readonly SqlStatement[]): Promise<void> {
    this.db.transaction(() => {
      for (const { sql, params } of statements) this.prepared(sql).run(...params)
    })()
  }
}

/**
 * Recently used conversations as last written. This process is the file's only writer and every
 * write to a conversation goes through this store, so reading one (once per message) needs no query,
 * and a new message's seq is the remembered last one's plus one.
 */
class RememberedConversations implements ConversationMemory {
  private readonly conversations = new LRUCache<string, Conversation>({ max: CACHED_CONVERSATIONS })

  recall(id: ConversationId): Conversation | undefined {
    return this.conversations.get(id)
  }

  remember(conversation: Conversation): Conversation {
    const frozen = Object.freeze(conversation)
    this.conversations.set(conversation.id, frozen)
    return frozen
  }

  forget(id: ConversationId): void {
    this.conversations.delete(id)
  }
}

interface ConditionalAppend {
  message: NewMessage
  admits: Admits | undefined
}

/**
 * Appends messages a turn of the event loop at a time, in one transaction, each taking the seq after
 * its conversation's remembered last one: the conversation row is not written, so a message dirties
 * as few pages as it can.
 */
class SqliteMessageLog {
  private readonly appends: GroupCommit<ConditionalAppend, AppendedWhile | undefined>

  constructor(
    private readonly sql: SqliteDatabase,
    private readonly memory: RememberedConversations,
  ) {
    const db = sql.db
    // A message that fails inside the batch's transaction fails alone: it is a single INSERT, which
    // SQLite undoes by itself, so it needs no savepoint of its own. If SQLite has ended the transaction
    // (a full disk, an I/O error), the rest must not run outside it, so the whole batch fails.
    const appendAll = db.transaction((appends: readonly ConditionalAppend[]) =>
      appends.map(({ message, admits }) => {
        try {
          return ok(this.appendInTransaction(message, admits))
        } catch (error) {
          if (!db.inTransaction) throw error
          // Should the remembered seq be what failed, the next message recounts it.
          memory.forget(message.conversationId)
          return err(error)
        }
      }),
    )
    this.appends = new GroupCommit((appends) => {
      try {
        return appendAll(appends)
      } catch (error) {
        // The seqs given out in a transaction that did not commit were never stored.
        for (const { message } of appends) memory.forget(message.conversationId)
        throw error
      }
    })
  }

  append(message: NewMessage, admits?: Admits): Promise<AppendedWhile | undefined> {
    return this.appends.submit({ message, admits })
  }

  /** Commits what waits (before the store closes). */
  flush(): void {
    this.appends.flush()
  }

  private appendInTransaction(m: NewMessage, admits?: Admits): AppendedWhile | undefined {
    const conversation = this.memory.recall(m.conversationId) ?? this.reload(m.conversationId)
    if (!conversation) throw KefuError.notFound('Conversation')
    // This process is the file's only writer, so the remembered state is the stored one.
    if (admits && !admits(conversation)) return this.storedAlready(m, conversation)
    try {
      return this.insertAfter(conversation, m)
    } catch (error) {
      if (!isSeqTaken(error)) throw error
      // Another writer on this file (a second repository, a tool) used the remembered seq: the
      // failed INSERT was undone alone, so count again from the table and take the next one.
      const recounted = this.reload(m.conversationId)
      if (!recounted) throw KefuError.notFound('Conversation')
      return this.insertAfter(recounted, m)
    }
  }

  private insertAfter(conversation: Conversation, m: NewMessage): AppendedWhile {
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
    // Nothing changes when the cid is stored already; a seq taken already is a constraint error.
    const { changes } = this.sql
      .prepared(
        `INSERT INTO messages (conversation_id, seq, cid, author_id, author_role, kind, body, attachment, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id, cid) DO NOTHING`,
      )
      .run(
        message.conversationId,
        message.seq,
        message.cid,
        message.authorId,
        message.authorRole,
        message.kind,
        message.body,
        m.attachment ? JSON.stringify(m.attachment) : null,
        message.createdAt,
      )
    if (changes === 0) {
      const existing = this.storedAlready(m, conversation)
      if (!existing) throw new Error(`Message ${m.cid} was neither inserted nor found`)
      return existing
    }
    return {
      message,
      isDuplicate: false,
      conversation: this.memory.remember({ ...conversation, lastSeq: message.seq }),
    }
  }

  private storedAlready(m: NewMessage, conversation: Conversation): AppendedWhile | undefined {
    const existing = this.sql.prepared<MessageRow>(MESSAGE_BY_CID).get(m.conversationId, m.cid)
    return existing && { message: toMessage(existing), isDuplicate: true, conversation }
  }

  private reload(id: ConversationId): Conversation | undefined {
    const row = this.sql.prepared<ConversationRow>(CONVERSATION_BY_ID).get(id)
    return row && this.memory.remember(toConversation(row))
  }
}

/** True for SQLite's answer to an INSERT whose (conversation, seq) is taken. */
function isSeqTaken(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
