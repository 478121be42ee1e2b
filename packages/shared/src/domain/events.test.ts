import { describe, expect, it } from 'vitest'
import { parseConversationEvent } from './events'

describe('conversation events', () => {
  it('reads every event the server writes today', () => {
    const bodies = [
      { event: 'created', channel: 'wechat', delivery: 'kefu' },
      { event: 'queued', teamId: 'general' },
      { event: 'assigned', agentId: 's_alice', agentName: 'Alice Wang' },
      { event: 'transferred', fromAgentId: 's_alice', toTeamId: 'retention' },
      { event: 'transferred', fromAgentId: null, toAgentId: 's_bob', agentName: 'Bob Li' },
      { event: 'requeued', fromAgentId: 's_alice' },
      { event: 'resolved', by: 's_alice' },
      { event: 'abandoned', by: 'u_1' },
      { event: 'reopened' },
      { event: 'voice.requested' },
      { event: 'voice.joined', identity: 'u_1', name: 'Ada' },
      { event: 'voice.left', identity: 'u_1' },
      { event: 'voice.audio_published', identity: 's_alice', name: 'Alice Wang' },
      { event: 'voice.room_closed' },
    ]
    for (const body of bodies) expect(parseConversationEvent(JSON.stringify(body))).toEqual(body)
  })

  it('answers undefined, never throws, for an unknown kind, a wrong field or a body that is no JSON', () => {
    expect(parseConversationEvent(JSON.stringify({ event: 'teleported' }))).toBeUndefined()
    expect(parseConversationEvent(JSON.stringify({ event: 'assigned', agentId: 7 }))).toBeUndefined()
    expect(parseConversationEvent('{not json')).toBeUndefined()
  })
})
