import { CHAT_RPC_METHOD, CHAT_TOPIC, RoomBot, SCRIBE_IDENTITY } from '@kefu/signal'
import { describe, expect, it } from 'vitest'
import { livekitWebhookAuthorization, serverWithLivekitPerTest } from '../helpers/livekit'
import type { TestClient } from '../helpers/TestClient'
import { collectSamples, playTone, powerAt, SAMPLE_RATE } from '../helpers/tone'

const live = serverWithLivekitPerTest()

interface VoiceCall {
  customer: TestClient
  agent: TestClient
  conversationId: string
  customerToken: string
  agentToken: string
}

/** A customer asks for voice in a routed conversation; both sides are on the signal socket. */
async function startVoiceCall(name: string): Promise<VoiceCall> {
  const agentToken = await live.server.agentToken(`voice-${name}`, ['general'], 3)
  const customerToken = await live.server.customerToken({ userId: `caller-${name}` })
  const agent = await live.server.connect(agentToken)
  const customer = await live.server.connect(customerToken)
  const conversationId = (await customer.openConversation()).id
  await customer.waitFor('conversation.assigned', (frame) => frame.conversation.agentId === `s_voice-${name}`)
  customer.send({ t: 'voice.start', conversationId })
  const invited = await agent.waitFor(
    'conversation.updated',
    (frame) => frame.conversation.voiceRoom !== null,
  )
  expect(invited.conversation.voiceRoom).toBe(conversationId)
  return { customer, agent, conversationId, customerToken, agentToken }
}

async function voiceToken(conversationId: string, token: string) {
  return live.server.post<{ url: string; token: string; code?: string }>(
    `/api/conversations/${conversationId}/voice-token`,
    {},
    token,
  )
}

async function joinRoom(conversationId: string, token: string): Promise<RoomBot> {
  const { body } = await voiceToken(conversationId, token)
  const bot = new RoomBot()
  await bot.join(body.url, body.token)
  return bot
}

async function history(conversationId: string, token: string) {
  const { body } = await live.server.get<{ messages: { kind: string; body: string; cid: string }[] }>(
    `/api/conversations/${conversationId}/messages?limit=200`,
    token,
  )
  return body.messages
}

const events = (messages: { kind: string; body: string }[]) =>
  messages
    .filter((m) => m.kind === 'event')
    .map((m) => JSON.parse(m.body) as { event: string; identity?: string })

describe('voice through a real LiveKit server', () => {
  it('carries a customer’s tone to the agent, and records joins and audio in the history in order', async () => {
    const call = await startVoiceCall('tone')
    const customerBot = await joinRoom(call.conversationId, call.customerToken)
    const agentBot = await joinRoom(call.conversationId, call.agentToken)
    const source = await customerBot.publishAudio(SAMPLE_RATE)
    const stop = playTone(source, 440)
    const heard = await agentBot.firstRemoteAudio(SAMPLE_RATE)
    expect(heard.identity).toBe('u_caller-tone')
    // One read (leaving a for-await closes the stream); the first 200 ms are codec and jitter-buffer start.
    const samples = (await collectSamples(heard.frames, (SAMPLE_RATE * 7) / 10)).subarray(SAMPLE_RATE / 5)
    stop()
    const at440 = powerAt(samples, 440)
    for (const other of [220, 330, 660, 880, 1000])
      expect(at440).toBeGreaterThan(20 * powerAt(samples, other))

    const agentSource = await agentBot.publishAudio(SAMPLE_RATE)
    const stopAgent = playTone(agentSource, 660)
    await expect
      .poll(
        async () =>
          events(await history(call.conversationId, call.agentToken)).map(
            (e) => `${e.event}:${e.identity ?? ''}`,
          ),
        { timeout: 10_000 },
      )
      .toEqual(
        expect.arrayContaining([
          'voice.joined:u_caller-tone',
          'voice.joined:s_voice-tone',
          'voice.audio_published:s_voice-tone',
        ]),
      )
    stopAgent()
    const log = events(await history(call.conversationId, call.agentToken)).map(
      (e) => `${e.event}:${e.identity ?? ''}`,
    )
    expect(log.indexOf('voice.requested:')).toBeLessThan(log.indexOf('voice.joined:u_caller-tone'))
    expect(log.indexOf('voice.joined:u_caller-tone')).toBeLessThan(
      log.indexOf('voice.audio_published:u_caller-tone'),
    )
    expect(log.indexOf('voice.joined:s_voice-tone')).toBeLessThan(
      log.indexOf('voice.audio_published:s_voice-tone'),
    )
    // The agent's first audio is their first response, as a first reply would be in text.
    const conversation = await live.server.server.repo.getConversation(call.conversationId as never)
    expect(conversation).toMatchObject({ state: 'active' })
    expect(conversation?.firstResponseAt).not.toBeNull()
    await Promise.all([customerBot.leave(), agentBot.leave(), call.customer.close(), call.agent.close()])
  })

  it('never lets a customer into another conversation’s room', async () => {
    const call = await startVoiceCall('guarded')
    const strangerToken = await live.server.customerToken({ userId: 'stranger' })
    const refused = await voiceToken(call.conversationId, strangerToken)
    expect(refused.status).toBe(403)

    // A token for the stranger's own room, edited to name this one, is refused by LiveKit itself.
    const stranger = await live.server.connect(strangerToken)
    const own = (await stranger.openConversation()).id
    stranger.send({ t: 'voice.start', conversationId: own })
    await stranger.waitFor('conversation.updated', (frame) => frame.conversation.voiceRoom !== null)
    const { body } = await voiceToken(own, strangerToken)
    const [header, payload, signature] = body.token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    claims.video.room = call.conversationId
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
    await expect(new RoomBot().join(body.url, forged)).rejects.toThrow()
    await Promise.all([stranger.close(), call.customer.close(), call.agent.close()])
  })

  it('refuses a forged webhook and changes nothing', async () => {
    const call = await startVoiceCall('forged')
    const before = await history(call.conversationId, call.agentToken)
    const forged = JSON.stringify({
      event: 'participant_joined',
      id: 'EV_forged',
      room: { name: call.conversationId },
      participant: { identity: 'mallory' },
    })
    for (const authorization of [undefined, 'Bearer not-a-jwt']) {
      const response = await fetch(`${live.server.url}/livekit/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', ...(authorization ? { authorization } : {}) },
        body: forged,
      })
      expect(response.status).toBe(401)
    }
    expect(await history(call.conversationId, call.agentToken)).toEqual(before)
    await Promise.all([call.customer.close(), call.agent.close()])
  })

  it('takes a webhook LiveKit redelivers after a failure half-way, and records it once', async () => {
    const call = await startVoiceCall('redelivered')
    const repo = live.server.server.repo
    const append = repo.appendMessage.bind(repo)
    let failures = 1
    // The store fails once, as a full disk or a lost database connection would, on this event only.
    repo.appendMessage = (message) =>
      message.cid.startsWith('lk_EV_redelivered') && failures-- > 0
        ? Promise.reject(new Error('the disk is full'))
        : append(message)
    const body = JSON.stringify({
      event: 'participant_joined',
      id: 'EV_redelivered',
      createdAt: Math.floor(Date.now() / 1000),
      room: { name: call.conversationId },
      participant: { identity: 'u_caller-redelivered', name: 'Caller' },
    })
    const deliver = () =>
      fetch(`${live.server.url}/livekit/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/webhook+json',
          authorization: livekitWebhookAuthorization(body),
        },
        body,
      }).then((response) => response.status)
    expect(await deliver()).toBe(500)
    expect(await deliver()).toBe(200)
    expect(await deliver()).toBe(200)
    const joined = events(await history(call.conversationId, call.agentToken)).filter(
      (event) => event.event === 'voice.joined' && event.identity === 'u_caller-redelivered',
    )
    expect(joined).toHaveLength(1)
    await Promise.all([call.customer.close(), call.agent.close()])
  })

  it('relays text both ways between the socket and the room, each message once', async () => {
    const call = await startVoiceCall('chat')
    const agentBot = await joinRoom(call.conversationId, call.agentToken)
    const roomChat: { cid: string; seq: number; body: string }[] = []
    let probed = false
    agentBot.onData((data) => {
      if (data.topic === CHAT_TOPIC) roomChat.push(JSON.parse(new TextDecoder().decode(data.payload)))
      if (data.topic === 'probe') probed = true
    })
    // Data reaches a participant once its receiving connection is up, a moment after it joined (on
    // a loaded machine, seconds): the customer's probes show when the agent's is.
    const customerBot = await joinRoom(call.conversationId, call.customerToken)
    await expect
      .poll(
        async () => {
          await customerBot.sendData(new Uint8Array([1]), 'probe')
          return probed
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true)
    const sent = await call.customer.say(call.conversationId, 'can you hear me?', 'socket-1')
    await expect.poll(() => roomChat.map((m) => m.cid), { timeout: 10_000 }).toContain('socket-1')

    const send = () =>
      agentBot.callRpc(
        SCRIBE_IDENTITY,
        CHAT_RPC_METHOD,
        JSON.stringify({ cid: 'room-1', body: 'loud and clear' }),
      )
    const ack = JSON.parse(await send())
    // LiveKit may retry; resending the same cid is acknowledged with the same seq and stored once.
    expect(JSON.parse(await send())).toEqual(ack)
    const arrived = await call.customer.waitFor(
      'message.new',
      (frame) => frame.message.cid === 'room-1',
      10_000,
    )
    expect(arrived.message).toMatchObject({
      body: 'loud and clear',
      authorRole: 'agent',
      authorId: 's_voice-chat',
      seq: ack.seq,
    })
    await expect.poll(() => roomChat.map((m) => m.cid), { timeout: 10_000 }).toContain('room-1')

    // The room hears the conversation in order: a copy of either would have come before this one.
    await call.customer.say(call.conversationId, 'last one', 'socket-2')
    await expect.poll(() => roomChat.map((m) => m.cid), { timeout: 10_000 }).toContain('socket-2')
    expect(roomChat.filter((m) => m.cid === 'socket-1')).toEqual([expect.objectContaining({ seq: sent.seq })])
    expect(roomChat.filter((m) => m.cid === 'room-1')).toHaveLength(1)
    const stored = (await history(call.conversationId, call.agentToken))
      .filter((m) => m.kind === 'text')
      .map((m) => m.cid)
    expect(stored).toEqual(['socket-1', 'room-1', 'socket-2'])
    await Promise.all([agentBot.leave(), customerBot.leave(), call.customer.close(), call.agent.close()])
  })

  it('takes a transferred agent out of the room and refuses them a new token', async () => {
    const call = await startVoiceCall('handover')
    const agentBot = await joinRoom(call.conversationId, call.agentToken)
    call.agent.send({
      t: 'conversation.transfer',
      conversationId: call.conversationId,
      toTeamId: 'retention',
    })
    await call.customer.waitFor('conversation.transferred')
    await agentBot.disconnected()
    expect(agentBot.isConnected).toBe(false)
    expect((await voiceToken(call.conversationId, call.agentToken)).status).toBe(403)
    expect((await voiceToken(call.conversationId, call.customerToken)).status).toBe(200)
    await Promise.all([call.customer.close(), call.agent.close()])
  })

  it('closes the room and disconnects everyone when the conversation is resolved', async () => {
    const call = await startVoiceCall('resolve')
    const customerBot = await joinRoom(call.conversationId, call.customerToken)
    const agentBot = await joinRoom(call.conversationId, call.agentToken)
    call.agent.send({ t: 'conversation.resolve', conversationId: call.conversationId })
    await call.customer.waitFor('conversation.resolved')
    await Promise.all([customerBot.disconnected(), agentBot.disconnected()])
    expect(customerBot.isConnected).toBe(false)
    expect((await voiceToken(call.conversationId, call.customerToken)).status).toBe(200)
    await expect(
      joinRoom(call.conversationId, call.customerToken).then((bot) => bot.leave()),
    ).resolves.toBeUndefined()
    await Promise.all([call.customer.close(), call.agent.close()])
  })
})
