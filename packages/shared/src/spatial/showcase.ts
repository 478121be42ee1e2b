import { z } from 'zod'
import { ProductIdSchema } from '../domain/index'
import { ErrorCode, KefuError } from '../errors'
import { err, ok, type Result } from '../result'

/** The LiveKit data topic of what an agent presents on the showcase, to their conversation's customer. */
export const SHOWCASE_TOPIC = 'showcase'

/**
 * What a conversation's showcase shows: the product an agent presents (none: the showcase idles)
 * and how it is turned. Sent by the agent to the conversation's customer as reliable data.
 */
export const ShowcaseStateSchema = z.object({
  productId: ProductIdSchema.nullable(),
  /** Radians about the vertical axis. */
  rotation: z.number().finite().min(-100).max(100),
})
export type ShowcaseState = z.infer<typeof ShowcaseStateSchema>

// The packet is ASCII JSON (product ids are ASCII), so it needs no TextEncoder, which not every
// mini-program base library has.
export function encodeShowcase(state: ShowcaseState): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(ShowcaseStateSchema.parse(state))
  return Uint8Array.from(json, (char) => char.charCodeAt(0))
}

/** Reads a showcase packet; anything else is a `bad_frame` error, never an exception. */
export function decodeShowcase(bytes: Uint8Array): Result<ShowcaseState, KefuError> {
  let json: unknown
  try {
    if (bytes.some((byte) => byte > 0x7f)) throw new Error('not ASCII')
    json = JSON.parse(String.fromCharCode(...bytes))
  } catch {
    return err(new KefuError(ErrorCode.BadFrame, 'A showcase packet is JSON'))
  }
  const parsed = ShowcaseStateSchema.safeParse(json)
  return parsed.success ? ok(parsed.data) : err(new KefuError(ErrorCode.BadFrame, 'Not a showcase state'))
}
