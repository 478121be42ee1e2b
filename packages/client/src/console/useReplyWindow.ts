import { type Conversation, DeliveryRoute } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { api } from '../net/api'

/** Replies a channel still allows (WeChat: a few within 48 h of the customer's last message). */
export interface ReplyWindow {
  remaining: number
  closesAt: number
}

/** The reply window of a WeChat conversation, refreshed with every message (`lastSeq`). */
export function useReplyWindow(
  token: string | undefined,
  conversation: Conversation | undefined,
  lastSeq: number | null | undefined,
): ReplyWindow | undefined {
  const [window, setWindow] = useState<ReplyWindow>()
  const id = conversation?.id
  const isWechat = conversation?.delivery === DeliveryRoute.WechatCustomerService
  // biome-ignore lint/correctness/useExhaustiveDependencies: lastSeq is the trigger; each new message may have used a reply.
  useEffect(() => {
    if (!token || !id || !isWechat) return setWindow(undefined)
    let current = true
    api.conversation(token, id).then(
      (result) => current && setWindow(result.replyWindow),
      () => current && setWindow(undefined),
    )
    return () => {
      current = false
    }
  }, [token, id, isWechat, lastSeq])
  return window
}

/** How the console says it: how many replies are left and until when. */
export function describeReplyWindow(window: ReplyWindow): string {
  if (window.remaining === 0) return 'WeChat allows no more replies until the customer writes again'
  const until = new Date(window.closesAt).toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
  return `WeChat: ${window.remaining} ${window.remaining === 1 ? 'reply' : 'replies'} left until ${until}`
}
