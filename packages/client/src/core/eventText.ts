import {
  type ConversationEvent,
  type ErrorCode,
  parseConversationEvent,
  UNREADABLE_MESSAGE_BODY,
} from '@kefu/shared'
import type { TextKey, Translate } from './i18n'

/**
 * The line a conversation's history shows for one of its events, in the reader's language;
 * undefined for events that are records, not news (the conversation's creation: its queueing follows).
 */
export function describeEvent(body: string, t: Translate): string | undefined {
  if (body === UNREADABLE_MESSAGE_BODY) return t('event.unreadable')
  const event = parseConversationEvent(body)
  return event ? describeKnownEvent(event, t) : t('event.unknown')
}

function describeKnownEvent(event: ConversationEvent, t: Translate): string | undefined {
  switch (event.event) {
    case 'created':
    case 'experiment':
    case 'hall.entered':
    // The assistant's own words say what it did; a customer is not told they were read as angry.
    case 'bot.engaged':
    case 'bot.answered':
    case 'bot.feedback':
    case 'flow.step':
    case 'flow.called':
    case 'flow.ended':
    case 'emotion.flagged':
    case 'playbook.said':
    case 'playbook.priority':
    case 'proactive.offered':
      return undefined
    case 'bot.handed_off':
      return t('event.handedOff')
    case 'queued':
      return t('event.queued')
    case 'assigned':
      return t('event.assigned', { agent: event.agentName })
    case 'transferred':
      return event.toTeamId
        ? t('event.transferredTeam')
        : t('event.transferredAgent', { agent: event.agentName ?? t('who.agent') })
    case 'requeued':
      return t('event.requeued')
    case 'resolved':
      return t('event.resolved')
    case 'abandoned':
      return t('event.abandoned')
    case 'reopened':
      return t('event.reopened')
    case 'rated':
      return t('event.rated', { stars: '★'.repeat(event.score) + '☆'.repeat(5 - event.score) })
    case 'voice.requested':
      return t('event.voiceRequested')
    case 'voice.joined':
      return t('event.voiceJoined', { name: event.name ?? t('who.someone') })
    case 'voice.left':
      return t('event.voiceLeft', { name: event.name ?? t('who.someone') })
    case 'voice.audio_published':
      return t('event.voicePublished', { name: event.name ?? t('who.someone') })
    case 'voice.room_closed':
      return t('event.voiceClosed')
  }
}

const REFUSALS: Partial<Record<ErrorCode, TextKey>> = {
  reply_window_closed: 'refusal.reply_window_closed',
  forbidden: 'refusal.forbidden',
  invalid_transition: 'refusal.invalid_transition',
  rate_limited: 'refusal.rate_limited',
}

/** "Not sent: why" for a message the server refused, by its stable error code. */
export function describeRefusal(code: ErrorCode, t: Translate): string {
  const reason = t(REFUSALS[code] ?? 'refusal.other')
  return t('message.notSent', { reason })
}
