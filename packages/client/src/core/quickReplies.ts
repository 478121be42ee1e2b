import { type LocalMessage, parseConversationEvent } from '@kefu/shared'

/**
 * The assistant's quick replies the customer may tap now: those of its last answer, flow step or
 * offer of help,
 * while nothing but events has followed it (a reply typed or tapped, or a person's message, ends
 * the offer).
 */
export function openQuickReplies(messages: readonly LocalMessage[]): readonly string[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (!message) continue
    if (message.kind !== 'event') return []
    const event = parseConversationEvent(message.body)
    if (
      event?.event === 'bot.answered' ||
      event?.event === 'flow.step' ||
      event?.event === 'proactive.offered'
    )
      return event.quickReplies
  }
  return []
}

/** Whether the assistant holds the conversation now: it engaged and has not handed it to a person. */
export function isWithAssistant(messages: readonly LocalMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (message?.kind !== 'event') continue
    const event = parseConversationEvent(message.body)?.event
    if (event === 'bot.handed_off' || event === 'assigned') return false
    if (event === 'bot.engaged') return true
  }
  return false
}
