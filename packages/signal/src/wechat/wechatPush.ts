import { MAX_MESSAGE_CHARS, toStorable } from '@kefu/shared'
import { z } from 'zod'

/**
 * A customer-service message or event WeChat pushes, in either of its documented formats. The
 * sender's openid becomes a customer id, so it is held to what an openid looks like (28 characters
 * today; room for 64): a longer one made an id every console refused to read.
 */
export const WechatPushSchema = z.object({
  ToUserName: z.string().max(64),
  FromUserName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  CreateTime: z.coerce.number(),
  MsgType: z.string(),
  Content: z.string().optional(),
  PicUrl: z.string().optional(),
  MsgId: z.coerce.string().optional(),
  Event: z.string().optional(),
})
export type WechatPush = z.infer<typeof WechatPushSchema>

/**
 * A pushed text as kefu3d stores it: whole Unicode without NUL (either becomes U+FFFD) and at most
 * MAX_MESSAGE_CHARS, cut on a character with an ellipsis. WeChat cannot be asked to resend it
 * shorter, and refusing it would lose the customer's words altogether.
 */
export function pushedText(content: string): string {
  const whole = toStorable(content)
  if (whole.length <= MAX_MESSAGE_CHARS) return whole
  let cut = ''
  for (const char of whole) {
    if (cut.length + char.length > MAX_MESSAGE_CHARS - 1) break
    cut += char
  }
  return `${cut}…`
}

/** The outer body in safe mode: only the ciphertext is trusted, after its signature checks out. */
export const EncryptedBodySchema = z.object({ ToUserName: z.string().optional(), Encrypt: z.string().min(1) })

/**
 * Reads WeChat's flat XML (`<xml><Key><![CDATA[value]]></Key>…</xml>`) or JSON into an object.
 * WeChat's pushes are one level deep, so a flat reader is all the format needs.
 */
export function readPushBody(text: string): Record<string, string> {
  const trimmed = text.trim()
  // MsgIds are 64-bit: as JSON numbers they lose their last digits, and two messages would share
  // one id (and one would be dropped as a retry). Read them as the digits they are.
  if (trimmed.startsWith('{'))
    return JSON.parse(trimmed.replace(/("MsgId"\s*:\s*)(\d+)/g, '$1"$2"')) as Record<string, string>
  const fields: Record<string, string> = {}
  for (const match of trimmed.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    const [, name, cdata, plain] = match
    if (name && name !== 'xml') fields[name] = cdata ?? plain ?? ''
  }
  return fields
}
