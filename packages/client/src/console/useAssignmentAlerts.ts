import type { ChatSession } from '@kefu/shared'
import { useEffect } from 'react'

const BASE_TITLE = 'kefu3d'

/**
 * A new conversation for this agent (assigned or transferred to them) chimes and counts in the tab's
 * title until the agent looks at the tab again, so it is noticed from another window.
 */
export function useAssignmentAlerts(session: ChatSession): void {
  useEffect(() => {
    let unseen = 0
    const showTitle = () => {
      document.title = unseen > 0 ? `(${unseen}) New conversation · ${BASE_TITLE}` : BASE_TITLE
    }
    const seen = () => {
      if (document.visibilityState !== 'visible') return
      unseen = 0
      showTitle()
    }
    // A context of its own per chime, closed when it has rung: an open one keeps an audio thread
    // running for as long as the console is open.
    const chime = () => {
      try {
        const audio = new AudioContext()
        const tone = audio.createOscillator()
        const level = audio.createGain()
        tone.frequency.value = 880
        level.gain.setValueAtTime(0.0001, audio.currentTime)
        level.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02)
        level.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35)
        tone.connect(level).connect(audio.destination)
        tone.onended = () => void audio.close()
        tone.start()
        tone.stop(audio.currentTime + 0.4)
      } catch {
        // No audio output (or not allowed yet): the title still says it.
      }
    }
    const off = session.onFrame((frame) => {
      const isForMe =
        (frame.t === 'conversation.assigned' || frame.t === 'conversation.transferred') &&
        frame.conversation.agentId === session.identity?.userId
      if (!isForMe) return
      unseen++
      showTitle()
      chime()
      seen()
    })
    document.addEventListener('visibilitychange', seen)
    window.addEventListener('focus', seen)
    return () => {
      off()
      document.removeEventListener('visibilitychange', seen)
      window.removeEventListener('focus', seen)
      document.title = BASE_TITLE
    }
  }, [session])
}
