import { RoomBot } from '@kefu/signal'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServerWithLivekit } from '../helpers/livekit'

let stack: Awaited<ReturnType<typeof startServerWithLivekit>>
beforeEach(async () => {
  stack = await startServerWithLivekit({ HALL_SHARD_CAPACITY: '2' })
})
afterEach(async () => stack?.stop())

interface HallSeat {
  url: string
  token: string
  room: string
  shard: number
  code?: string
}
const hallSeat = (token: string) => stack.server.post<HallSeat>('/api/hall/token', {}, token)
/** What a LiveKit token lets its holder do (its `video` grant). */
const grantOf = (jwt: string) =>
  (
    JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      video: Record<string, unknown>
    }
  ).video

describe('the 3D hall on the server (real LiveKit)', () => {
  it('seats people in shards of the configured size, a customer beside their agent', async () => {
    const agentToken = await stack.server.agentToken('hall-agent', ['general'], 3)
    const agent = await stack.server.connect(agentToken)
    const first = await stack.server.customerToken({ userId: 'hall-first' })
    const second = await stack.server.customerToken({ userId: 'hall-second' })
    const third = await stack.server.customerToken({ userId: 'hall-third' })
    expect((await hallSeat(first)).body.shard).toBe(1)
    expect((await hallSeat(second)).body.shard).toBe(1)
    // Shard 1 is full: the agent starts shard 2, and a customer routed to them follows them there.
    expect((await hallSeat(agentToken)).body).toMatchObject({ shard: 2, room: 'hall-2' })
    const customer = await stack.server.connect(third)
    const { id } = await customer.openConversation()
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === id)
    expect((await hallSeat(third)).body.shard).toBe(2)
    // Asking again keeps the seat.
    expect((await hallSeat(first)).body.shard).toBe(1)
    // The visit is in the customer's conversation, once (the `hall` channel of the quality figures).
    expect((await hallSeat(third)).body.shard).toBe(2)
    const history = await stack.server.get<{ messages: { kind: string; body: string }[] }>(
      `/api/conversations/${id}/messages`,
      agentToken,
    )
    const visits = history.body.messages.filter((message) => message.body === '{"event":"hall.entered"}')
    expect(visits).toHaveLength(1)
    const scrape = await (await fetch(`${stack.server.url}/metrics`)).text()
    expect(scrape).toMatch(/kefu_channel_quality_last_hour\{channel="hall",figure="asa_seconds"\}/)
    await Promise.all([agent.close(), customer.close()])
  })

  it('grants a hall seat the least it needs: one shard room, data, and no media', async () => {
    const token = await stack.server.customerToken({ userId: 'hall-grants' })
    const { status, body } = await hallSeat(token)
    expect(status).toBe(200)
    expect(grantOf(body.token)).toEqual({
      room: body.room,
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: true,
    })
    expect((await stack.server.post('/api/hall/token', {})).status).toBe(401)
  })

  it('gives a customer across the hall no way to another conversation’s audio', async () => {
    // Ada talks with her agent in her conversation's own room.
    const agentToken = await stack.server.agentToken('private-agent', ['general'], 3)
    const agent = await stack.server.connect(agentToken)
    const adaToken = await stack.server.customerToken({ userId: 'ada' })
    const ada = await stack.server.connect(adaToken)
    const conversationId = (await ada.openConversation()).id
    await ada.waitFor('conversation.assigned')
    ada.send({ t: 'voice.start', conversationId })
    await agent.waitFor('conversation.updated', (frame) => frame.conversation.voiceRoom !== null)
    const adaSeat = (await hallSeat(adaToken)).body

    // Eve sits in the same hall shard.
    const eveToken = await stack.server.customerToken({ userId: 'eve' })
    const eveSeat = (await hallSeat(eveToken)).body
    expect(eveSeat.room).toBe(adaSeat.room)

    // No request gets Eve a token for Ada's room, and nothing names it in her hall seat.
    const refused = await stack.server.post<{ code: string }>(
      `/api/conversations/${conversationId}/voice-token`,
      {},
      eveToken,
    )
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('forbidden')
    expect(JSON.stringify(grantOf(eveSeat.token))).not.toContain(conversationId)

    // The hall room itself carries no voice: Ada's hall seat may not publish her microphone there.
    const adaInHall = new RoomBot()
    await adaInHall.join(adaSeat.url, adaSeat.token)
    await expect(adaInHall.publishAudio(48_000)).rejects.toThrow()
    const eveInHall = new RoomBot()
    await eveInHall.join(eveSeat.url, eveSeat.token)
    let heard = false
    eveInHall.eachRemoteAudio(16_000, () => {
      heard = true
    })
    // Eve has the room as LiveKit sees it once she sees Ada in it, after Ada's refused publish: a
    // track of Ada's would have come with it.
    await new Promise<void>((resolve) => {
      const stop = eveInHall.onPeople((people) => {
        if (!people.some((person) => person.identity === adaInHall.identity)) return
        queueMicrotask(() => stop())
        resolve()
      })
    })
    expect(heard).toBe(false)
    await Promise.all([adaInHall.leave(), eveInHall.leave(), ada.close(), agent.close()])
  })

  it('pushes the hall’s state to whoever watches it, within a beat of a change, and stops when unwatched', async () => {
    const agentToken = await stack.server.agentToken('feed-agent', ['general'], 2)
    const watcher = await stack.server.connect(await stack.server.customerToken({ userId: 'feed-watcher' }))
    const availabilityIn = (frame: { state: { agents: { id: string; availability: string }[] } }) =>
      frame.state.agents.find((agent) => agent.id === 's_feed-agent')?.availability
    watcher.send({ t: 'hall.watch' })
    expect(availabilityIn(await watcher.waitFor('hall.state'))).toBe('offline')

    const agent = await stack.server.connect(agentToken)
    const online = await watcher.waitFor('hall.state', (frame) => availabilityIn(frame) === 'available', 3000)
    expect(online.state.teams.map((team) => team.id)).toContain('general')
    agent.send({ t: 'agent.status', status: 'away' })
    await watcher.waitFor('hall.state', (frame) => availabilityIn(frame) === 'away', 3000)

    // One who still watches gets the next change; by then it was pushed to every watcher.
    const stillWatching = await stack.server.connect(
      await stack.server.customerToken({ userId: 'feed-still' }),
    )
    stillWatching.send({ t: 'hall.watch' })
    await stillWatching.waitFor('hall.state', (frame) => availabilityIn(frame) === 'away', 3000)
    watcher.send({ t: 'hall.unwatch' })
    await watcher.roundTrip()
    const seen = watcher.frames.filter((frame) => frame.t === 'hall.state').length
    agent.send({ t: 'agent.status', status: 'available' })
    await stillWatching.waitFor('hall.state', (frame) => availabilityIn(frame) === 'available', 3000)
    await watcher.roundTrip()
    expect(watcher.frames.filter((frame) => frame.t === 'hall.state').length).toBe(seen)
    await Promise.all([agent.close(), watcher.close(), stillWatching.close()])
  })
})
