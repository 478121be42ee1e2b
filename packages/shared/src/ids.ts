import { z } from 'zod'

/** A conversation id, minted by the server. */
export const ConversationIdSchema = z.string().min(1).max(64).brand<'ConversationId'>()
export type ConversationId = z.infer<typeof ConversationIdSchema>

/** A client-chosen message id: resending the same one never creates a second message. */
export const ClientMessageIdSchema = z.string().min(1).max(64).brand<'ClientMessageId'>()
export type ClientMessageId = z.infer<typeof ClientMessageIdSchema>

/** A person: a customer (signed or guest) or a staff member. */
export const UserIdSchema = z.string().min(1).max(128).brand<'UserId'>()
export type UserId = z.infer<typeof UserIdSchema>

/** A team of agents that a conversation is routed to. */
export const TeamIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
  .brand<'TeamId'>()
export type TeamId = z.infer<typeof TeamIdSchema>

/** Casts a trusted string (minted by this system) to a branded id. */
export const asConversationId = (value: string): ConversationId => value as ConversationId
export const asClientMessageId = (value: string): ClientMessageId => value as ClientMessageId
export const asUserId = (value: string): UserId => value as UserId
export const asTeamId = (value: string): TeamId => value as TeamId

/**
 * A new message's cid, starting with its creation time. The server's unique index on (cid,
 * conversation) then grows at its right edge, like a log, instead of at a random page per message:
 * a third fewer pages written per stored message. Fixed-width base-36 milliseconds sort as text until
 * the year 5188. `unique` must not repeat on the device; the device id only helps a person reading
 * logs, so it is what gives way to the 64-character limit.
 */
export function newClientMessageId(createdAt: number, unique: string, deviceId: string): ClientMessageId {
  const time = Math.max(0, Math.floor(createdAt)).toString(36).padStart(9, '0')
  return `${time}-${unique}-${deviceId}`.slice(0, 64) as ClientMessageId
}
