import type { ChatSession } from '@kefu/shared'
import { sampleConversation, welcomedSession as welcomedByServer } from '@kefu/shared/testing'
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import { VoiceBar } from './VoiceBar'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const conversation = sampleConversation()
const welcomedSession = (features?: { voice: boolean }) =>
  welcomedByServer({ conversations: [conversation], ...(features ? { features } : {}) })

let root: Root | undefined
let container: HTMLDivElement
function render(session: ChatSession) {
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
  const draw = () =>
    act(() =>
      root?.render(<VoiceBar session={session} token="t" conversation={conversation} side="customer" />),
    )
  draw()
  return draw
}
afterEach(() => {
  act(() => root?.unmount())
  container.remove()
})

const button = (name: string) =>
  [...container.querySelectorAll('button')].find((candidate) => candidate.textContent === name)

describe('VoiceBar', () => {
  it('offers no call when the server has no voice, or does not say', async () => {
    render((await welcomedSession({ voice: false })).session)
    expect(container.textContent).toBe('')
    act(() => root?.unmount())
    render((await welcomedSession()).session)
    expect(container.textContent).toBe('')
  })

  it('asks the server for a call, and says so when the server refuses', async () => {
    const { session, transport } = await welcomedSession({ voice: true })
    const redraw = render(session)
    act(() => button('Call')?.click())
    expect(transport.sentOfType('voice.start')).toEqual([{ t: 'voice.start', conversationId: 'c1' }])
    redraw()
    expect(container.textContent).toContain('Calling…')

    transport.deliver({
      t: 'error',
      code: 'voice_unavailable',
      message: 'Voice is not available on this server',
      ref: 'voice.start',
    })
    redraw()
    expect(container.textContent).toContain('Call failed: Voice is not available on this server')
    expect(container.textContent).not.toContain('Calling…')
  })
})
