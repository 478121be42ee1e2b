import type { ChatSession, Conversation } from '@kefu/shared'
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { api } from '../net/api'
import { t } from '../platform/web/webLocale'
import { VoiceCall, type VoiceCallState } from './VoiceCall'

interface VoiceBarProps {
  session: ChatSession
  token: string
  conversation: Conversation
  /** The customer asks for a call; the assigned agent answers one; a supervisor listens in. */
  side: 'customer' | 'agent' | 'supervisor'
}

/**
 * The voice call of one conversation: the customer's "Call" button, the agent's "Join" prompt
 * once the customer asked, and while in the call who is there, who speaks, mute and hang up.
 */
export function VoiceBar({ session, token, conversation, side }: VoiceBarProps) {
  const conversationId = conversation.id
  const call = useMemo(
    () => new VoiceCall(() => api.voiceToken(token, conversationId), side !== 'supervisor'),
    [token, conversationId, side],
  )
  const state = useSyncExternalStore(
    (listener) => call.subscribe(listener),
    () => call.snapshot,
  )
  const [hasAskedForCall, setHasAskedForCall] = useState(false)
  const hasRoom = conversation.voiceRoom !== null
  const isOpen = conversation.state !== 'resolved' && conversation.state !== 'abandoned'

  useEffect(() => () => void call.leave(), [call])
  // The customer pressed Call: join as soon as the server has opened the room.
  useEffect(() => {
    if (hasAskedForCall && hasRoom && isOpen) void call.join()
  }, [hasAskedForCall, hasRoom, isOpen, call])
  useEffect(() => {
    if (!isOpen) void call.leave()
  }, [isOpen, call])

  if (!isOpen || !session.features.voice) return null
  if (state.status === 'live' || state.status === 'joining')
    return <LiveCall call={call} state={state} isListening={side === 'supervisor'} />

  const refused =
    hasAskedForCall && session.lastError?.ref === 'voice.start' ? session.lastError.message : undefined
  const problem = state.status === 'failed' ? state.error : refused
  const failure = problem && <span className="voice-error">{t('call.failed', { reason: problem })}</span>
  if (side === 'customer') {
    return (
      <div className="voice-bar" data-testid="voice-bar">
        <button
          type="button"
          onClick={() => {
            setHasAskedForCall(true)
            if (hasRoom) void call.join()
            else session.sendFrame({ t: 'voice.start', conversationId })
          }}
        >
          {hasRoom ? t('call.rejoin') : t('call.call')}
        </button>
        <span className="voice-note">
          {hasAskedForCall && !hasRoom && !refused ? t('call.calling') : t('call.offer')}
        </span>
        {failure}
      </div>
    )
  }
  if (!hasRoom) return null
  if (side === 'supervisor') {
    return (
      <div className="voice-bar incoming" data-testid="voice-bar">
        <span className="voice-note">
          Voice is open in this conversation; listening in, you stay unseen by both sides
        </span>
        <button type="button" onClick={() => void call.join()}>
          Listen in
        </button>
        {failure}
      </div>
    )
  }
  return (
    <div className="voice-bar incoming" data-testid="voice-bar">
      <span className="voice-note">{conversation.customerName} would like to talk</span>
      <button type="button" onClick={() => void call.join()}>
        Join call
      </button>
      {failure}
    </div>
  )
}

function LiveCall({
  call,
  state,
  isListening,
}: {
  call: VoiceCall
  state: VoiceCallState
  isListening: boolean
}) {
  const speaking = [
    ...(state.isSelfSpeaking ? [t('call.you')] : []),
    ...state.peers.filter((peer) => peer.isSpeaking).map((peer) => peer.name),
  ]
  const peerNames = state.peers.map((peer) => peer.name).join(', ')
  return (
    <div className="voice-bar live" data-testid="voice-bar">
      <span className={`voice-dot ${speaking.length ? 'speaking' : ''}`} aria-hidden />
      <span className="voice-note">
        {state.status === 'joining'
          ? t('call.connecting')
          : state.peers.length === 0
            ? t('call.waiting')
            : isListening
              ? `Listening to ${peerNames}`
              : t('call.inCallWith', { names: peerNames })}
        {speaking.length > 0 && ` · ${t('call.speaking', { names: speaking.join(', ') })}`}
      </span>
      {!isListening && (
        <button type="button" onClick={() => void call.setMuted(!state.muted)}>
          {state.muted ? t('call.unmute') : t('call.mute')}
        </button>
      )}
      <button type="button" className="danger" onClick={() => void call.leave()}>
        {isListening ? 'Stop listening' : t('call.hangUp')}
      </button>
    </div>
  )
}
