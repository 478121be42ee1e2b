import type { Conversation } from '@kefu/shared'
import { useSyncExternalStore } from 'react'
import type { AvatarRole } from '../core/hallStore'
import { t } from '../platform/web/webLocale'
import type { LiveSession } from '../state/useChatSession'
import type { SpatialCall } from './audio/SpatialCall'

/**
 * Voice in the hall: the customer asks for it (the conversation gets its room), the agent joins
 * it; both then hear each other from where their avatars stand.
 */
export function HallVoiceButton(props: {
  live: LiveSession
  call: SpatialCall
  conversation: Conversation
  role: AvatarRole
}) {
  const { live, call, conversation, role } = props
  const status = useSyncExternalStore(
    (onChange) => call.subscribe(onChange),
    () => call.status,
  )
  const hasRoom = conversation.voiceRoom !== null
  if (status === 'live')
    return (
      <button type="button" className="hall-voice live" onClick={() => void call.leave()}>
        {t('hall.endVoice')}
      </button>
    )
  if (status === 'joining')
    return (
      <button type="button" className="hall-voice" disabled>
        {t('hall.voiceConnecting')}
      </button>
    )
  if (role === 'customer')
    return (
      <button
        type="button"
        className="hall-voice"
        onClick={() => {
          call.prepareAudio()
          if (hasRoom) void call.join()
          else {
            live.session.sendFrame({ t: 'voice.start', conversationId: conversation.id })
            // The room exists once the server answers; join it then.
            const stop = live.session.onFrame((frame) => {
              if (
                'conversation' in frame &&
                frame.conversation.id === conversation.id &&
                frame.conversation.voiceRoom
              ) {
                stop()
                void call.join()
              }
            })
          }
        }}
      >
        {t('hall.talk')}
      </button>
    )
  if (!hasRoom) return null
  return (
    <button type="button" className="hall-voice" onClick={() => void call.join()}>
      {t('hall.joinVoice')}
    </button>
  )
}
