import { type Conversation, type LocalMessage, MessageKind, parseConversationEvent } from '@kefu/shared'

/** Where the customer's rating of a conversation stands. */
export type RatingState = { ask: true } | { ask: false; score: number | undefined }

/**
 * Ask for a rating once the conversation is resolved and not rated yet (the server keeps the first
 * rating only, so a second device asking too changes nothing).
 */
export function ratingState(
  conversation: Conversation | undefined,
  messages: readonly LocalMessage[],
): RatingState {
  let score: number | undefined
  for (const message of messages) {
    if (message.kind !== MessageKind.Event) continue
    const event = parseConversationEvent(message.body)
    if (event?.event === 'rated') score ??= event.score
  }
  if (conversation?.state === 'resolved' && score === undefined) return { ask: true }
  return { ask: false, score }
}

export const RATING_SCORES = [1, 2, 3, 4, 5] as const
