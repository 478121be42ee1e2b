import { spawnSync } from 'node:child_process'
import { CHAT_RPC_METHOD, type LivekitProcess, LocalRedis, RoomBot, SCRIBE_IDENTITY } from '@kefu/signal'
import { RoomServiceClient } from 'livekit-server-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeLivekitPort, startTestLivekit, TEST_LIVEKIT } from '../helpers/livekit'
import type { TestClient } from '../helpers/TestClient'
import { onCluster, sharedClusterEnv, TestServer } from '../helpers/testServer'
import { collectSamples, playTone, powerAt, SAMPLE_RATE } from '../helpers/tone'

// Two LiveKit servers in LiveKit's own multi-node mode, each on a loopback address of its own as two
// hosts would be, and two signal nodes of one cluster, each preferring its own LiveKit node and
// receiving its webhooks. LiveKit keeps its cluster under fixed key names (`nodes`,
// `room_node_map`), so it gets a Redis of its own rather than a namespace of the project's.

let livekitRedis: LocalRedis
const livekits: LivekitProcess[] = []
const nodes: TestServer[] = []
beforeAll(async () => {
  if (!onCluster) return
  livekitRedis = await LocalRedis.start()
  const hosts = ['127.0.0.1', '127.0.0.2']
  const ports = [await freeLivekitPort(), await freeLivekitPort()]
  const urls = hosts.map((host, index) => `ws://${host}:${ports[index]}`)
  const env = sharedClusterEnv()
  for (const [index, nodeId] of ['lk-a', 'lk-b'].entries())
    nodes.push(
      await TestServer.start({
        ...env,
        NODE_ID: nodeId,
        LIVEKIT_URL: (index === 0 ? urls : [...urls].reverse()).join(','),
        LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
        LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
      }),
    )
  for (const [index, host] of hosts.entries())
    livekits.push(
      await startTestLivekit(ports[index] as number, `${nodes[index]?.url}/livekit/webhook`, undefined, {
        host,
        redisAddress: `127.0.0.1:${livekitRedis.port}`,
      }),
    )
})
afterAll(async () => {
  for (const node of nodes.reverse()) await node.stop()
  for (const livekit of livekits) await livekit.stop()
  await livekitRedis?.stop()
})

/** A field of a hash LiveKit's cluster keeps in its Redis (a node's record is protobuf bytes). */
function livekitField(key: string, field: string): string {
  const reply = spawnSync('redis-cli', ['-p', String(livekitRedis.port), '--raw', 'HGET', key, field], {
    encoding: 'latin1',
  })
  return reply.stdout.trim()
}

/** The LiveKit process hosting `room`: the node in `room_node_map` whose record names its address. */
function hostOf(room: string): LivekitProcess {
  const record = livekitField('nodes', livekitField('room_node_map', room))
  const host = livekits.find((livekit) => record.includes(new URL(livekit.url).hostname))
  if (!host) throw new Error(`No LiveKit node hosts ${room}`)
  return host
}

interface Side {
  node: TestServer
  client: TestClient
  token: string
}

async function joinThrough(side: Side, conversationId: string): Promise<{ bot: RoomBot; url: string }> {
  const { body } = await side.node.post<{ url: string; token: string }>(
    `/api/conversations/${conversationId}/voice-token`,
    {},
    side.token,
  )
  const bot = new RoomBot()
  await bot.join(body.url, body.token)
  return { bot, url: body.url }
}

/** `speaker` plays a tone and `listener` hears it, well above every other frequency. */
async function hears(listener: RoomBot, speaker: RoomBot, frequencyHz: number): Promise<void> {
  const stop = playTone(await speaker.publishAudio(SAMPLE_RATE), frequencyHz)
  const heard = await listener.firstRemoteAudio(SAMPLE_RATE)
  // The first 200 ms are codec and jitter-buffer start.
  const samples = (await collectSamples(heard.frames, (SAMPLE_RATE * 7) / 10)).subarray(SAMPLE_RATE / 5)
  stop()
  expect(heard.identity).toBe(speaker.identity)
  for (const other of [220, 330, 550, 770, 1000])
    expect(powerAt(samples, frequencyHz)).toBeGreaterThan(20 * powerAt(samples, other))
}

describe.runIf(onCluster)('voice on a LiveKit cluster of two nodes', () => {
  it('spreads rooms over both LiveKit nodes', async () => {
    const rooms = new RoomServiceClient(
      livekits[0]?.httpUrl ?? '',
      TEST_LIVEKIT.apiKey,
      TEST_LIVEKIT.apiSecret,
    )
    // Rooms go to a node at random: twenty all on one of two happen once in half a million runs.
    const names = Array.from({ length: 20 }, (_, index) => `spread-${index}`)
    for (const name of names) await rooms.createRoom({ name })
    const hosts = new Set(names.map((name) => hostOf(name)))
    expect(hosts.size).toBe(2)
    // Either node's API sees every room of the cluster.
    const fromOther = new RoomServiceClient(
      livekits[1]?.httpUrl ?? '',
      TEST_LIVEKIT.apiKey,
      TEST_LIVEKIT.apiSecret,
    )
    expect((await fromOther.listRooms(names)).map((room) => room.name).sort()).toEqual([...names].sort())
    for (const name of names) await rooms.deleteRoom(name)
  })

  // LiveKit gives up resuming the server's scribe some seconds after its node died (about 20).
  it('carries a call between people on different nodes both ways, and on the other node once the one hosting it dies', {
    timeout: 90_000,
  }, async () => {
    const [nodeA, nodeB] = nodes as [TestServer, TestServer]
    const agentToken = await nodeB.agentToken('lk-agent', ['general'], 3)
    const customerToken = await nodeA.customerToken({ userId: 'lk-caller' })
    const agent: Side = { node: nodeB, client: await nodeB.connect(agentToken), token: agentToken }
    const customer: Side = { node: nodeA, client: await nodeA.connect(customerToken), token: customerToken }
    const conversationId = (await customer.client.openConversation()).id
    await customer.client.waitFor(
      'conversation.assigned',
      (frame) => frame.conversation.id === conversationId,
    )
    customer.client.send({ t: 'voice.start', conversationId })
    await agent.client.waitFor('conversation.updated', (frame) => frame.conversation.voiceRoom !== null)

    const customerCall = await joinThrough(customer, conversationId)
    const agentCall = await joinThrough(agent, conversationId)
    // Each signal node sends its people to its own LiveKit node; LiveKit routes both to the room's.
    expect(customerCall.url).toBe(livekits[0]?.url)
    expect(agentCall.url).toBe(livekits[1]?.url)
    await hears(agentCall.bot, customerCall.bot, 440)
    await hears(customerCall.bot, agentCall.bot, 660)

    const host = hostOf(conversationId)
    const survivor = livekits.find((livekit) => livekit !== host) as LivekitProcess
    process.kill(host.pid as number, 'SIGKILL')
    // Stopped for good, not restarted by its supervisor: the call must move.
    await host.stop()
    await Promise.all([customerCall.bot.leave(), agentCall.bot.leave()])
    // A new token names a node that answers; LiveKit moves the room there on the first join.
    const customerAgain = await joinThrough(customer, conversationId)
    const agentAgain = await joinThrough(agent, conversationId)
    expect([customerAgain.url, agentAgain.url]).toEqual([survivor.url, survivor.url])
    expect(hostOf(conversationId)).toBe(survivor)
    await hears(agentAgain.bot, customerAgain.bot, 440)
    await hears(customerAgain.bot, agentAgain.bot, 660)

    // The surviving node's webhooks reach its signal node: the history records the second joins.
    await expect
      .poll(
        async () => {
          const { body } = await nodeA.get<{ messages: { kind: string; body: string }[] }>(
            `/api/conversations/${conversationId}/messages?limit=200`,
            customerToken,
          )
          return body.messages
            .filter((message) => message.kind === 'event')
            .map((message) => JSON.parse(message.body) as { event: string; identity?: string })
            .filter((event) => event.event === 'voice.joined' && event.identity === 'u_lk-caller').length
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(2)

    // The server's scribe, dropped with the dead node once LiveKit gives up resuming it, joins the
    // room again: chat said in the room is stored again.
    const roomChat = (attempt: number) =>
      customerAgain.bot.callRpc(
        SCRIBE_IDENTITY,
        CHAT_RPC_METHOD,
        JSON.stringify({ cid: `after-failover-${attempt}`, body: 'still there?' }),
      )
    let attempt = 0
    await expect
      .poll(
        () =>
          roomChat(++attempt).then(
            () => true,
            () => false,
          ),
        { timeout: 45_000, interval: 500 },
      )
      .toBe(true)
    await agent.client.waitFor('message.new', (frame) => frame.message.body === 'still there?')
    await Promise.all([customerAgain.bot.leave(), agentAgain.bot.leave()])
    await Promise.all([customer.client.close(), agent.client.close()])
  })
})
