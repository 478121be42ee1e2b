import { z } from 'zod'
import { ClientMessageIdSchema, ConversationIdSchema, UserIdSchema } from '../ids'

/** Longest text body a person may send, in characters. */
export const MAX_MESSAGE_CHARS = 4000

/** What a message carries. */
export const MessageKind = {
  Text: 'text',
  Image: 'image',
  VoiceNote: 'voice',
  System: 'system',
  Event: 'event',
} as const
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind]

/** Kinds a person may send; system and event messages come only from the server. */
export const SendableKindSchema = z.enum([MessageKind.Text, MessageKind.Image, MessageKind.VoiceNote])
export const MessageKindSchema = z.enum([
  MessageKind.Text,
  MessageKind.Image,
  MessageKind.VoiceNote,
  MessageKind.System,
  MessageKind.Event,
])

/** Who wrote a message. */
export const Role = {
  Customer: 'customer',
  Agent: 'agent',
  Supervisor: 'supervisor',
  System: 'system',
  /** The knowledge-base assistant: it says it is one, and its words are never a human response. */
  Bot: 'bot',
} as const
export type Role = (typeof Role)[keyof typeof Role]
export const RoleSchema = z.enum([Role.Customer, Role.Agent, Role.Supervisor, Role.System, Role.Bot])

/** A media attachment stored elsewhere; the message carries its address. */
export const AttachmentSchema = z.object({
  url: z.string().url().max(2048),
  mime: z.string().max(100),
  bytes: z.number().int().nonnegative().optional(),
  durationMs: z.number().int().nonnegative().optional(),
})
export type Attachment = z.infer<typeof AttachmentSchema>

/** A stored message: `cid` is the sender's id for it, `seq` its place in the conversation. */
export const MessageSchema = z.object({
  conversationId: ConversationIdSchema,
  seq: z.number().int().positive(),
  cid: ClientMessageIdSchema,
  authorId: UserIdSchema,
  authorRole: RoleSchema,
  kind: MessageKindSchema,
  body: z.string().max(MAX_MESSAGE_CHARS),
  attachment: AttachmentSchema.optional(),
  createdAt: z.number(),
})
export type Message = z.infer<typeof MessageSchema>
