import { asUserId, type Conversation, type ConversationId, KefuError } from '@kefu/shared'
import type {
  Admits,
  AppendedWhile,
  ConversationQuery,
  ConversationRepository,
  NewMessage,
} from '../Repository'
import { type ConversationRow, type MessageRow, toConversation, toMessage } from './rows'
import { inList, type SqlDatabase, type SqlValue } from './SqlDatabase'

/** Conversation `c`'s last seq: its messages' highest, found at the end of their key's range. */
const LAST_SEQ_OF_C = 'COALESCE((SELECT MAX(m.seq) FROM messages m WHERE m.conversation_id = c.id), 0)'

/** Conversations with their last seq. */
const CONVERSATION_SELECT = `SELECT c.*, ${LAST_SEQ_OF_C} AS last_seq FROM conversations c`

/** One conversation by id, with its last seq. */
export const CONVERSATION_BY_ID = `${CONVERSATION_SELECT} WHERE c.id = ?`

/** A message already stored under a client's id. */
export const MESSAGE_BY_CID = 'SELECT * FROM messages WHERE conversation_id = ? AND cid = ?'

/** Column names for a conversation patch. */
const CONVERSATION_COLUMNS: Record<string, string> = {
  state: 'state',
  teamId: 'team_id',
  agentId: 'agent_id',
  priority: 'priority',
  queuedAt: 'queued_at',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
  voiceRoom: 'voice_room',
  updatedAt: 'updated_at',
}

/**
 * Conversations a store may answer from memory: the embedded store is its file's only writer, so it
 * remembers what it wrote; a store that shares its database with other nodes remembers nothing.
 */
export interface ConversationMemory {
  recall(id: ConversationId): Conversation | undefined
  /** Keeps a conversation as just read or written; returns what it keeps. */
  remember(conversation: Conversation): Conversation
}

const FORGETFUL: ConversationMemory = { recall: () => undefined, remember: (conversation) => conversation }

export function conversationTables(
  db: SqlDatabase,
  store: {
    /** How this store gives a message its seq: the one statement the stores write differently. */
    appendMessage(message: NewMessage, admits?: Admits): Promise<AppendedWhile | undefined>
    memory?: ConversationMemory
  },
): ConversationRepository {
  const memory = store.memory ?? FORGETFUL
  const reload = async (id: ConversationId) => {
    const row = await db.one<ConversationRow>(CONVERSATION_BY_ID, [id])
    if (!row) throw KefuError.notFound('Conversation')
    return memory.remember(toConversation(row))
  }
  return {
    async createConversation(c) {
      await db.run(
        `INSERT INTO conversations (id, customer_id, customer_name, channel, delivery, state, team_id, agent_id,
           priority, created_at, updated_at, queued_at, first_response_at, resolved_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, NULL, ?, ?, ?, ?, NULL, NULL)`,
        [
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
        ],
      )
      return reload(c.id)
    },

    async getConversation(id) {
      const remembered = memory.recall(id)
      if (remembered) return remembered
      const row = await db.one<ConversationRow>(CONVERSATION_BY_ID, [id])
      return row && memory.remember(toConversation(row))
    },

    async updateConversation(id, patch) {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined)
      const assignments = entries.map(([key]) => `${CONVERSATION_COLUMNS[key]} = ?`).join(', ')
      const changed = await db.run(`UPDATE conversations SET ${assignments} WHERE id = ?`, [
        ...entries.map(([, value]) => value as SqlValue),
        id,
      ])
      if (changed === 0) throw KefuError.notFound('Conversation')
      return reload(id)
    },

    async listConversations(query) {
      const { sql, params } = conversationList(query)
      return (await db.all<ConversationRow>(sql, params)).map(toConversation)
    },

    async appendMessage(message) {
      const appended = await store.appendMessage(message)
      if (!appended) throw new Error(`Message ${message.cid} was refused without a condition`)
      return { message: appended.message, isDuplicate: appended.isDuplicate }
    },

    appendMessageWhile: (message, admits) => store.appendMessage(message, admits),

    async listMessagesAfter(conversationId, afterSeq, limit) {
      const rows = await db.all<MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
        [conversationId, afterSeq, limit],
      )
      return rows.map(toMessage)
    },

    async listMessagesBefore(conversationId, beforeSeq, limit) {
      const rows = await db.all<MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
        [conversationId, beforeSeq, limit],
      )
      return rows.map(toMessage).reverse()
    },

    async markRead(conversationId, userId, seq) {
      await db.run(
        `INSERT INTO read_marks (conversation_id, user_id, seq) VALUES (?, ?, ?)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > read_marks.seq`,
        [conversationId, userId, seq],
      )
    },

    async readMarks(conversationId) {
      const rows = await db.all<{ user_id: string; seq: number }>(
        'SELECT user_id, seq FROM read_marks WHERE conversation_id = ?',
        [conversationId],
      )
      return new Map(rows.map((row) => [asUserId(row.user_id), row.seq]))
    },

    async addHandoverNote(conversationId, note) {
      await db.run(
        'INSERT INTO handover_notes (conversation_id, at, author_id, author_name, note) VALUES (?, ?, ?, ?, ?)',
        [conversationId, note.at, note.authorId, note.authorName, note.note],
      )
    },

    async listHandoverNotes(conversationId) {
      // Notes are never changed or deleted, so the order they sit in the table is the order they were
      // written: it only decides between two notes of the same millisecond.
      const rows = await db.all<{
        at: number | string
        author_id: string
        author_name: string
        note: string
      }>(
        `SELECT at, author_id, author_name, note FROM handover_notes WHERE conversation_id = ?
         ORDER BY at, ${db.dialect.insertionOrder}`,
        [conversationId],
      )
      return rows.map((row) => ({
        at: Number(row.at),
        authorId: asUserId(row.author_id),
        authorName: row.author_name,
        note: row.note,
      }))
    },
  }
}

/** A conversation list's SQL and its parameters, newest activity first. */
function conversationList(query: ConversationQuery): { sql: string; params: SqlValue[] } {
  const where: string[] = []
  const params: SqlValue[] = []
  const among = (column: string, values: readonly string[]) => {
    where.push(inList(column, values))
    params.push(...values)
  }
  if (query.states) among('state', query.states)
  if (query.teamIds) among('team_id', query.teamIds)
  if (query.customerId) among('customer_id', [query.customerId])
  if (query.agentId) among('agent_id', [query.agentId])
  if (query.updatedBefore !== undefined) {
    where.push('updated_at < ?')
    params.push(query.updatedBefore)
  }
  params.push(query.limit)
  const sql = `${CONVERSATION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY c.updated_at DESC LIMIT ?`
  return { sql, params }
}
