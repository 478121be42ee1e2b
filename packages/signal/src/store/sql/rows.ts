import {
  type Alert,
  type Attachment,
  AttachmentSchema,
  asClientMessageId,
  asConversationId,
  asTeamId,
  asUserId,
  type CannedReply,
  type Channel,
  type Conversation,
  type ConversationState,
  type DeliveryRoute,
  type KnowledgeRecord,
  KnowledgeRecordSchema,
  type KnowledgeUsage,
  type Message,
  type MessageKind,
  type Role,
  type TeamId,
} from '@kefu/shared'
import type { CustomerRecord, StaffRecord, StaffRole, StoredMedia } from '../Repository'

/** A conversations row as both SQL stores return it. */
export interface ConversationRow {
  id: string
  customer_id: string
  customer_name: string
  channel: string
  delivery: string
  state: string
  team_id: string
  agent_id: string | null
  priority: number
  last_seq: number
  created_at: number | string
  updated_at: number | string
  queued_at: number | string | null
  first_response_at: number | string | null
  resolved_at: number | string | null
  voice_room: string | null
}

/** A messages row as both SQL stores return it. */
export interface MessageRow {
  conversation_id: string
  seq: number
  cid: string
  author_id: string
  author_role: string
  kind: string
  body: string
  attachment: string | null
  created_at: number | string
}

// NOTE: PostgreSQL returns BIGINT as a string; both stores share these mappers.
const time = (value: number | string): number => Number(value)
const optionalTime = (value: number | string | null): number | null => (value === null ? null : Number(value))

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: asConversationId(row.id),
    customerId: asUserId(row.customer_id),
    customerName: row.customer_name,
    channel: row.channel as Channel,
    delivery: row.delivery as DeliveryRoute,
    state: row.state as ConversationState,
    teamId: asTeamId(row.team_id),
    agentId: row.agent_id === null ? null : asUserId(row.agent_id),
    priority: row.priority,
    lastSeq: row.last_seq,
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
    queuedAt: optionalTime(row.queued_at),
    firstResponseAt: optionalTime(row.first_response_at),
    resolvedAt: optionalTime(row.resolved_at),
    voiceRoom: row.voice_room,
  }
}

function parseAttachment(text: string | null): Attachment | undefined {
  if (text === null) return undefined
  const parsed = AttachmentSchema.safeParse(JSON.parse(text))
  return parsed.success ? parsed.data : undefined
}

export function toMessage(row: MessageRow): Message {
  const attachment = parseAttachment(row.attachment)
  return {
    conversationId: asConversationId(row.conversation_id),
    seq: row.seq,
    cid: asClientMessageId(row.cid),
    authorId: asUserId(row.author_id),
    authorRole: row.author_role as Role,
    kind: row.kind as MessageKind,
    body: row.body,
    ...(attachment ? { attachment } : {}),
    createdAt: time(row.created_at),
  }
}

/** An alerts row as both SQL stores return it. */
export interface AlertRow {
  id: string
  kind: string
  figure: string
  team_id: string | null
  value: number
  limit_value: number
  message: string
  raised_at: number | string
  acknowledged_at: number | string | null
  acknowledged_by: string | null
  conversation_id: string | null
}

export function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    kind: row.kind as Alert['kind'],
    figure: row.figure,
    teamId: row.team_id === null ? null : asTeamId(row.team_id),
    value: Number(row.value),
    limit: Number(row.limit_value),
    message: row.message,
    raisedAt: time(row.raised_at),
    acknowledgedAt: optionalTime(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by === null ? null : asUserId(row.acknowledged_by),
    ...(row.conversation_id ? { conversationId: row.conversation_id } : {}),
  }
}

/** A canned_replies row. */
export interface CannedReplyRow {
  id: string
  owner_id: string | null
  team_id: string | null
  name: string
  body: string
}

export function toCannedReply(row: CannedReplyRow): CannedReply {
  return { id: row.id, ownerId: row.owner_id, teamId: row.team_id, name: row.name, body: row.body }
}

/** A staff row with its teams joined by commas. */
export interface StaffRow {
  id: string
  login: string
  display_name: string
  role: string
  password_hash: string
  capacity: number
  teams: string | null
  active: number
}

export function toStaff(row: StaffRow): StaffRecord {
  return {
    id: asUserId(row.id),
    login: row.login,
    displayName: row.display_name,
    role: row.role as StaffRole,
    passwordHash: row.password_hash,
    capacity: row.capacity,
    teams: (row.teams ?? '').split(',').filter(Boolean).map(asTeamId) as TeamId[],
    active: row.active === 1,
  }
}

export interface CustomerRow {
  id: string
  display_name: string
  vip_level: number
  last_purchase_at: number | string | null
  platform: string
  is_guest: number
  language: string | null
}

export function toCustomer(row: CustomerRow): CustomerRecord {
  return {
    id: asUserId(row.id),
    displayName: row.display_name,
    vipLevel: row.vip_level,
    lastPurchaseAt: optionalTime(row.last_purchase_at),
    platform: row.platform as Channel,
    isGuest: row.is_guest === 1,
    language: row.language,
  }
}

export interface KnowledgeEntryRow {
  entry: string
  status: string
  updated_at: number | string
  updated_by: string
}

export function toKnowledgeRecord(row: KnowledgeEntryRow): KnowledgeRecord {
  return KnowledgeRecordSchema.parse({
    entry: JSON.parse(row.entry),
    status: row.status,
    updatedAt: time(row.updated_at),
    updatedBy: row.updated_by,
  })
}

export interface KnowledgeUsageRow {
  entry_id: string
  hits: number
  helped: number
  not_helped: number
  handoffs: number
  last_hit_at: number | string | null
}

export function toKnowledgeUsage(row: KnowledgeUsageRow): KnowledgeUsage {
  return {
    entryId: row.entry_id,
    hits: row.hits,
    helped: row.helped,
    notHelped: row.not_helped,
    handoffs: row.handoffs,
    lastHitAt: optionalTime(row.last_hit_at),
  }
}

export interface MediaRow {
  name: string
  mime: string
  bytes: Uint8Array
  uploaded_by: string
  uploaded_at: number | string
}

export function toStoredMedia(row: MediaRow): StoredMedia {
  return {
    name: row.name,
    mime: row.mime,
    bytes: row.bytes,
    uploadedBy: asUserId(row.uploaded_by),
    uploadedAt: time(row.uploaded_at),
  }
}
