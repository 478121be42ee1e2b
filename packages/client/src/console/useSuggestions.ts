import {
  classifyEmotion,
  empatheticReply,
  type KnowledgeHit,
  type LocalMessage,
  languageOf,
  quickReply,
} from '@kefu/shared'
import { useEffect, useState } from 'react'
import { api } from '../net/api'
import type { Completion } from '../ui/Composer'

/** Knowledge-base answers weaker than this are noise beside the agent's own judgement. */
const SHOWN_FROM_CONFIDENCE = 0.15

/**
 * The customer's last question: what the agent is about to answer. A tapped "没解决" says the
 * assistant's answer missed; the question before it is still the one to answer.
 */
export function lastCustomerQuestion(messages: readonly LocalMessage[]): string | undefined {
  return messages
    .filter(
      (message) => message.kind === 'text' && message.authorRole === 'customer' && !quickReply(message.body),
    )
    .at(-1)?.body
}

/**
 * What the console offers for the customer's last message: an empathetic opening when they are
 * upset, then the knowledge base's best answers with their confidence. Asked again only when the
 * customer says something new.
 */
export function useSuggestions(token: string | undefined, customerText: string | undefined): Completion[] {
  const [hits, setHits] = useState<readonly KnowledgeHit[]>([])
  useEffect(() => {
    if (!token || !customerText) return setHits([])
    let current = true
    api.askKnowledge(token, customerText).then(
      (reply) =>
        current &&
        setHits(reply.hits.filter((hit) => hit.tier === 'faq' && hit.confidence >= SHOWN_FROM_CONFIDENCE)),
      () => current && setHits([]),
    )
    return () => {
      current = false
    }
  }, [token, customerText])
  if (!customerText) return []
  const empathy = empatheticReply(classifyEmotion(customerText), languageOf(customerText))
  return [
    ...(empathy ? [{ name: 'Empathy first', body: empathy, hint: 'customer is upset' }] : []),
    ...hits.map((hit) => ({
      name: hit.question,
      body: hit.answer,
      hint: `${Math.round(hit.confidence * 100)} %`,
    })),
  ]
}
