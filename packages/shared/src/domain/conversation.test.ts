import { describe, expect, it } from 'vitest'
import { ConversationState, canTransition, transition } from './conversation'

describe('the conversation state machine', () => {
  it('walks the happy path from queued to resolved and back', () => {
    const path = ['queued', 'assigned', 'active', 'resolved', 'reopened', 'queued'] as const
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true)
  })

  it('refuses skipping from resolved straight to active', () => {
    const result = transition(ConversationState.Resolved, ConversationState.Active)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('invalid_transition')
  })

  it('lets a queued customer abandon but never a resolved one', () => {
    expect(canTransition('queued', 'abandoned')).toBe(true)
    expect(canTransition('resolved', 'abandoned')).toBe(false)
  })
})
