import { z } from 'zod'

/** A customer-service message or event WeChat pushes, in either of its documented formats. */
export const WechatPushSchema = z.object({
  ToUserName: z.string(),
  FromUserName: z.string().min(1),
  CreateTime: z.coerce.number(),
  MsgType: z.string(),
  Content: z.string().optional(),
  PicUrl: z.string().optional(),
  MsgId: z.coerce.string().optional(),
  Event: z.string().optional(),
})
export type WechatPush = z.infer<typeof WechatPushSchema>

/** The outer body in safe mode: only the ciphertext is trusted, after its signature checks out. */
export const EncryptedBodySchema = z.object({ ToUserName: z.string().optional(), Encrypt: z.string().min(1) })

/**
 * Reads WeChat's flat XML (`<xml><Key><![CDATA[value]]></Key>…</xml>`) or JSON into an object.
 * WeChat's pushes are one level deep, so a flat reader is all the format needs.
 */
export function readPushBody(text: string): Record<string, string> {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) return JSON.parse(trimmed) as Record<string, string>
  const fields: Record<string, string> = {}
  for (const match of trimmed.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    const [, name, cdata, plain] = match
    if (name && name !== 'xml') fields[name] = cdata ?? plain ?? ''
  }
  return fields
}
