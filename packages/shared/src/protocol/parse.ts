import type { z } from 'zod'
import { ConversationSchema, type Message, MessageSchema } from '../domain/index'
import { ErrorCode, KefuError } from '../errors'
import {
  asClientMessageId,
  asUserId,
  ClientMessageIdSchema,
  type ConversationId,
  ConversationIdSchema,
  UserIdSchema,
} from '../ids'
import { err, ok, type Result } from '../result'
import { type ClientFrame, ClientFrameSchema } from './clientFrames'
import { type ServerFrame, ServerFrameSchema } from './serverFrames'

/** Bumped whenever a frame changes shape; peers with another version are refused at hello. */
export const PROTOCOL_VERSION = 2

const NOT_JSON = 'Frame is not valid JSON'

function parseWith<T>(schema: z.ZodType<T>, text: string): Result<T, KefuError> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return err(new KefuError(ErrorCode.BadFrame, NOT_JSON))
  }
  const parsed = schema.safeParse(json)
  if (parsed.success) return ok(parsed.data)
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  return err(new KefuError(ErrorCode.BadFrame, `${issue?.message ?? 'Invalid frame'}${where}`))
}

/** Parses a text frame from a client; failures are `bad_frame` errors, never exceptions. */
export function parseClientFrame(text: string): Result<ClientFrame, KefuError> {
  return parseWith(ClientFrameSchema, text)
}

/**
 * What a refused frame's error names as its `ref`: a message's `cid` (so the sender can mark that
 * message as not sent), else the frame's type. Undefined for text that names neither.
 */
export function refOfFrame(text: string): string | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof json !== 'object' || json === null) return undefined
  const { t, cid } = json as { t?: unknown; cid?: unknown }
  const messageId = ClientMessageIdSchema.safeParse(cid)
  if (t === 'message.send' && messageId.success) return messageId.data
  return typeof t === 'string' && t.length <= 64 ? t : undefined
}

/**
 * What a message the client cannot read is shown as: an event in its place (its seq kept, so the
 * history stays contiguous and the cursor moves on), which views name as unreadable.
 */
export const UNREADABLE_MESSAGE_BODY = '{"event":"unreadable"}'

/**
 * Parses a text frame from the server. A batch, a new message or a welcome with items this client
 * cannot read is kept: an unreadable message becomes a placeholder at its seq, an unreadable
 * conversation is left out, and the rest is shown.
 */
export function parseServerFrame(text: string): Result<ServerFrame, KefuError> {
  const parsed = parseWith(ServerFrameSchema, text)
  if (parsed.ok || parsed.error.message === NOT_JSON) return parsed
  const salvaged = salvage(JSON.parse(text) as unknown)
  return salvaged ? ok(salvaged) : parsed
}

function salvage(json: unknown): ServerFrame | undefined {
  if (typeof json !== 'object' || json === null) return undefined
  const frame = json as Record<string, unknown>
  const conversationId = ConversationIdSchema.safeParse(frame.conversationId).data
  const readable = (items: unknown[], inConversation = conversationId) =>
    items.flatMap((item) => readableMessage(item, inConversation))
  let repaired: unknown
  if (frame.t === 'sync.batch' && Array.isArray(frame.messages))
    repaired = { ...frame, messages: readable(frame.messages) }
  else if (frame.t === 'message.new')
    repaired = { ...frame, message: readable([frame.message], conversationOf(frame.message))[0] }
  else if (frame.t === 'welcome' && Array.isArray(frame.conversations))
    repaired = {
      ...frame,
      conversations: frame.conversations.filter((item) => ConversationSchema.safeParse(item).success),
    }
  else return undefined
  const again = ServerFrameSchema.safeParse(repaired)
  return again.success ? again.data : undefined
}

const conversationOf = (item: unknown) =>
  ConversationIdSchema.safeParse((item as { conversationId?: unknown } | null)?.conversationId).data

function readableMessage(item: unknown, conversationId: ConversationId | undefined): Message[] {
  const message = MessageSchema.safeParse(item)
  if (message.success) return [message.data]
  const raw = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
  const seq = raw.seq
  const inConversation = conversationOf(raw) ?? conversationId
  // Without its place in the history there is nowhere to show it.
  if (!inConversation || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return []
  return [
    {
      conversationId: inConversation,
      seq,
      cid: ClientMessageIdSchema.safeParse(raw.cid).data ?? asClientMessageId(`unreadable:${seq}`),
      authorId: UserIdSchema.safeParse(raw.authorId).data ?? asUserId('unknown'),
      authorRole: 'system',
      kind: 'event',
      body: UNREADABLE_MESSAGE_BODY,
      createdAt: typeof raw.createdAt === 'number' ? raw.createdAt : 0,
    },
  ]
}
