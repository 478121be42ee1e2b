import { type LocalMessage, parseConversationEvent } from '@kefu/shared'

/**
 * Which knowledge entry one of the assistant's answers came from, how sure the assistant was, and
 * (with a language model) the entries the composed answer cites: the agent who takes over checks
 * the answer against its source. Read from the `bot.answered` event written right after the answer.
 */
export function BotSource({
  message,
  messages,
}: {
  message: LocalMessage
  messages: readonly LocalMessage[]
}) {
  const answered = answerBehind(message, messages)
  if (!answered) return null
  const cites = answered.citations?.length ? ` · cites ${answered.citations.join(', ')}` : ''
  return (
    <span className="bot-source" data-testid="bot-source" title="The knowledge entry this answer came from">
      KB {answered.entryId} · {Math.round(answered.confidence * 100)} %{cites}
    </span>
  )
}

function answerBehind(message: LocalMessage, messages: readonly LocalMessage[]) {
  if (message.authorRole !== 'bot' || message.seq === null) return undefined
  const next = messages.find((other) => other.seq === (message.seq as number) + 1)
  if (next?.kind !== 'event') return undefined
  const event = parseConversationEvent(next.body)
  return event?.event === 'bot.answered' ? event : undefined
}
