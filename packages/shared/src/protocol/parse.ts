import type { z } from 'zod'
import { ErrorCode, KefuError } from '../errors'
import { ClientMessageIdSchema } from '../ids'
import { err, ok, type Result } from '../result'
import { type ClientFrame, ClientFrameSchema } from './clientFrames'
import { type ServerFrame, ServerFrameSchema } from './serverFrames'

/** Bumped whenever a frame changes shape; peers with another version are refused at hello. */
export const PROTOCOL_VERSION = 2

function parseWith<T>(schema: z.ZodType<T>, text: string): Result<T, KefuError> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return err(new KefuError(ErrorCode.BadFrame, 'Frame is not valid JSON'))
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

/** Parses a text frame from the server. */
export function parseServerFrame(text: string): Result<ServerFrame, KefuError> {
  return parseWith(ServerFrameSchema, text)
}
