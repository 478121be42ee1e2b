import { type Conversation, type ConversationDetailReply, DeliveryRoute } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { api } from '../net/api'

/**
 * What staff see beside a conversation, read from its detail: the customer's card, handover notes
 * and (WeChat) the reply window. Read again when the conversation changes hands or state, and for a
 * WeChat conversation with every message (each may use up a reply).
 */
export function useConversationDetail(
  token: string | undefined,
  conversation: Conversation | undefined,
  lastSeq: number | null | undefined,
): ConversationDetailReply | undefined {
  const [detail, setDetail] = useState<ConversationDetailReply>()
  const id = conversation?.id
  const isWechat = conversation?.delivery === DeliveryRoute.WechatCustomerService
  const trigger = `${conversation?.agentId}|${conversation?.state}|${isWechat ? lastSeq : ''}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: `trigger` names every change that calls for a new read
  useEffect(() => {
    if (!token || !id) return setDetail(undefined)
    let current = true
    api.conversation(token, id).then(
      (result) => current && setDetail(result),
      () => current && setDetail(undefined),
    )
    return () => {
      current = false
    }
  }, [token, id, trigger])
  return detail?.conversation.id === id ? detail : undefined
}
