import { ClientFrameSchema, type Conversation } from '@kefu/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServerWithLivekit } from '../helpers/livekit'
import { TINY_PNG } from '../helpers/media'
import type { TestClient } from '../helpers/TestClient'
import type { TestServer } from '../helpers/testServer'

/**
 * Who may do what, for every HTTP route the server has and every frame a client can send. The
 * tables are checked against the server's own route table and the protocol's frame union, so a
 * route or frame added later fails here until someone decides who may use it.
 */

/** Everyone the rules tell apart, seen from one conversation: the customer A's, in team general. */
const PEOPLE = [
  'customerSelf',
  'customerOther',
  'agentAssigned',
  'agentSameTeam',
  'agentOtherTeam',
  'supervisorOwnTeam',
  'supervisorOtherTeam',
] as const
type Person = (typeof PEOPLE)[number]
type Who = Person | 'anonymous'

const STAFF: Person[] = [
  'agentAssigned',
  'agentSameTeam',
  'agentOtherTeam',
  'supervisorOwnTeam',
  'supervisorOtherTeam',
]
const SIGNED_IN: Person[] = [...PEOPLE]
const SUPERVISORS: Person[] = ['supervisorOwnTeam', 'supervisorOtherTeam']
const VIEWERS: Person[] = ['customerSelf', 'agentAssigned', 'agentSameTeam', 'supervisorOwnTeam']
const WRITERS: Person[] = ['customerSelf', 'agentAssigned']
const IN_CALL: Person[] = ['customerSelf', 'agentAssigned', 'supervisorOwnTeam']

interface Scene {
  conversation: Conversation
  uploadUrl: string
}

type RestRule =
  | {
      request: (scene: Scene) => { method: 'GET' | 'POST'; path: string; body?: Buffer | object }
      allowed: Who[]
    }
  | { listsConversation: true; allowed: Who[] }
  | { exempt: string }

const REST: Record<string, RestRule> = {
  'GET /api/conversations/:id': {
    request: ({ conversation }) => get(`/api/conversations/${conversation.id}`),
    allowed: VIEWERS,
  },
  'GET /api/conversations/:id/messages': {
    request: ({ conversation }) => get(`/api/conversations/${conversation.id}/messages`),
    allowed: VIEWERS,
  },
  'POST /api/conversations/:id/voice-token': {
    request: ({ conversation }) => post(`/api/conversations/${conversation.id}/voice-token`, {}),
    allowed: IN_CALL,
  },
  'GET /api/conversations': { listsConversation: true, allowed: VIEWERS },
  'GET /api/teams': { request: () => get('/api/teams'), allowed: STAFF },
  'GET /api/me': { request: () => get('/api/me'), allowed: SIGNED_IN },
  'POST /api/hall/token': { request: () => post('/api/hall/token', {}), allowed: SIGNED_IN },
  'GET /api/hall/state': { request: () => get('/api/hall/state'), allowed: SIGNED_IN },
  'GET /api/products': { request: () => get('/api/products'), allowed: SIGNED_IN },
  // Quality figures are a supervisor's, for their own teams.
  'GET /api/quality': { request: () => get('/api/quality?team=general'), allowed: ['supervisorOwnTeam'] },
  'GET /api/staffing': {
    request: () => get('/api/staffing?team=general&ahtS=180'),
    allowed: ['supervisorOwnTeam'],
  },
  // Each supervisor's dashboard and alerts are of their own teams only (operations.test).
  'GET /api/dashboard': {
    request: () => get('/api/dashboard'),
    allowed: ['supervisorOwnTeam', 'supervisorOtherTeam'],
  },
  'GET /api/experiments': {
    request: () => get('/api/experiments'),
    allowed: ['supervisorOwnTeam', 'supervisorOtherTeam'],
  },
  'GET /api/alerts': {
    request: () => get('/api/alerts'),
    allowed: ['supervisorOwnTeam', 'supervisorOtherTeam'],
  },
  'POST /api/alerts/:id/ack': {
    exempt: 'a supervisor of the alert’s team only; another team’s gets not_found (operations.test)',
  },
  'GET /api/knowledge': { request: () => get('/api/knowledge'), allowed: STAFF },
  'POST /api/knowledge/ask': {
    request: () => post('/api/knowledge/ask', { q: '退款多久到账' }),
    allowed: STAFF,
  },
  'GET /api/knowledge/export': { request: () => get('/api/knowledge/export'), allowed: SUPERVISORS },
  'GET /api/knowledge/review': { request: () => get('/api/knowledge/review'), allowed: SUPERVISORS },
  'POST /api/knowledge/import': {
    request: () =>
      post('/api/knowledge/import', {
        format: 'markdown',
        text: `## matrix ${Math.random()}\nid: matrix-entry\n\nAn answer.`,
      }),
    allowed: SUPERVISORS,
  },
  'PUT /api/knowledge/:id': {
    exempt: 'supervisors only, as import (knowledge.test); the matrix sends GET and POST',
  },
  'POST /api/knowledge/:id/status': {
    request: () => post('/api/knowledge/refund-time/status', { status: 'active' }),
    allowed: SUPERVISORS,
  },
  // An outage is everyone's: any supervisor, whatever their teams, switches the service's playbook.
  'GET /api/playbooks': { request: () => get('/api/playbooks'), allowed: SUPERVISORS },
  'POST /api/playbooks/deactivate': {
    request: () => post('/api/playbooks/deactivate', {}),
    allowed: SUPERVISORS,
  },
  'POST /api/playbooks/:id/activate': {
    exempt: 'supervisors only (playbooks.test); switched on here, every later row would run in an emergency',
  },
  'GET /api/canned-replies': { request: () => get('/api/canned-replies'), allowed: STAFF },
  'POST /api/canned-replies': {
    request: () =>
      post('/api/canned-replies', { name: `matrix-${Math.random().toString(36).slice(2, 8)}`, body: 'hi' }),
    allowed: STAFF,
  },
  'DELETE /api/canned-replies/:id': {
    exempt: 'the owner, or a supervisor of the reply’s team; anyone else gets not_found (operations.test)',
  },
  'POST /api/uploads': { request: () => post('/api/uploads', TINY_PNG), allowed: SIGNED_IN },
  // The URL is the capability (128 random bits), as with an object store's signed URLs.
  'GET /uploads/:name': {
    request: ({ uploadUrl }) => get(new URL(uploadUrl).pathname),
    allowed: [...SIGNED_IN, 'anonymous'],
  },
  'POST /api/customer/session': { exempt: 'where a session starts (security.test: signatures, guests)' },
  'POST /api/agent/login': { exempt: 'where a session starts (security.test: passwords, throttling)' },
  'POST /api/dev/sign-profile': { exempt: 'development only: stands in for the integrator’s backend' },
  'GET /api/embedding': { exempt: 'public: which pages may embed the chat' },
  'GET /healthz': { exempt: 'public: liveness' },
  'GET /readyz': { exempt: 'public: readiness' },
  'GET /metrics': { exempt: 'its own scrape token (security.test)' },
  'POST /livekit/webhook': { exempt: 'signed by LiveKit (voice.test)' },
  'POST /api/integrator/events': { exempt: 'signed by the shop’s backend (proactive.test)' },
  'GET /wechat/callback': { exempt: 'signed by WeChat (wechat.test)' },
  'POST /wechat/callback': { exempt: 'signed by WeChat (wechat.test)' },
}

type FrameRule =
  | { frame: (scene: Scene, cid: string) => Record<string, unknown>; allowed: Person[] }
  | { exempt: string }

const FRAMES: Record<string, FrameRule> = {
  'sync.request': {
    frame: ({ conversation }) => ({ t: 'sync.request', conversationId: conversation.id, afterSeq: 0 }),
    allowed: VIEWERS,
  },
  read: {
    frame: ({ conversation }) => ({ t: 'read', conversationId: conversation.id, seq: 1 }),
    allowed: VIEWERS,
  },
  'message.send': {
    frame: ({ conversation }, cid) => ({
      t: 'message.send',
      conversationId: conversation.id,
      cid,
      body: 'hello',
    }),
    allowed: WRITERS,
  },
  typing: {
    frame: ({ conversation }) => ({ t: 'typing', conversationId: conversation.id, isTyping: true }),
    allowed: WRITERS,
  },
  'voice.start': {
    frame: ({ conversation }) => ({ t: 'voice.start', conversationId: conversation.id }),
    allowed: ['customerSelf'],
  },
  'voice.bridge.start': {
    frame: ({ conversation }) => ({
      t: 'voice.bridge.start',
      conversationId: conversation.id,
      sampleRate: 16000,
    }),
    allowed: ['customerSelf'],
  },
  // Stops the sender's own bridge, if any; it touches nothing of anyone else's.
  'voice.bridge.stop': {
    frame: ({ conversation }) => ({ t: 'voice.bridge.stop', conversationId: conversation.id }),
    allowed: SIGNED_IN,
  },
  // The customer's own rating (refused as not yet resolved here, which is past the access check).
  'conversation.rate': {
    frame: ({ conversation }) => ({ t: 'conversation.rate', conversationId: conversation.id, score: 5 }),
    allowed: ['customerSelf'],
  },
  'quality.watch': {
    frame: () => ({ t: 'quality.watch' }),
    allowed: ['supervisorOwnTeam', 'supervisorOtherTeam'],
  },
  'conversation.reopen': {
    frame: ({ conversation }) => ({ t: 'conversation.reopen', conversationId: conversation.id }),
    allowed: ['customerSelf'],
  },
  // Last: each changes the conversation; the people allowed come after everyone refused.
  'conversation.transfer': {
    frame: ({ conversation }) => ({
      t: 'conversation.transfer',
      conversationId: conversation.id,
      toTeamId: 'general',
    }),
    allowed: ['agentAssigned'],
  },
  'conversation.resolve': {
    frame: ({ conversation }) => ({ t: 'conversation.resolve', conversationId: conversation.id }),
    allowed: WRITERS,
  },
  'conversation.open': {
    frame: () => ({ t: 'conversation.open' }),
    allowed: ['customerSelf', 'customerOther'],
  },
  'agent.status': {
    frame: () => ({ t: 'agent.status', status: 'available' }),
    allowed: ['agentAssigned', 'agentSameTeam', 'agentOtherTeam'],
  },
  hello: { exempt: 'opens every socket; names nobody else' },
  'hall.join': { exempt: 'seats the sender in the hall as themselves; names no one (hall-bridge.test)' },
  'hall.leave': { exempt: 'leaves the sender’s own seat; names no one' },
  'hall.watch': { exempt: 'what the hall shows everyone in it (desks, queues): GET /api/hall/state pushed' },
  'hall.unwatch': { exempt: 'stops the sender’s own feed' },
  'quality.unwatch': { exempt: 'stops the sender’s own feed' },
  ping: { exempt: 'answered to anyone connected; names nothing' },
}

const get = (path: string) => ({ method: 'GET' as const, path })
const post = (path: string, body: Buffer | object) => ({ method: 'POST' as const, path, body })

let stack: Awaited<ReturnType<typeof startServerWithLivekit>>
let server: TestServer
const tokens = new Map<Who, string>()
const sockets = new Map<Person, TestClient>()
let scenes = 0

beforeAll(async () => {
  stack = await startServerWithLivekit()
  server = stack.server
  const staff: [Person, string, string[], 'agent' | 'supervisor'][] = [
    ['agentAssigned', 'm-assigned', ['general'], 'agent'],
    ['agentSameTeam', 'm-same', ['general'], 'agent'],
    ['agentOtherTeam', 'm-other', ['premium'], 'agent'],
    ['supervisorOwnTeam', 'm-lead', ['general'], 'supervisor'],
    ['supervisorOtherTeam', 'm-other-lead', ['premium'], 'supervisor'],
  ]
  for (const [who, login, teams, role] of staff) {
    tokens.set(who, await server.agentToken(login, teams, 100, role))
    sockets.set(who, await server.connect(tokens.get(who) ?? '', `${who}-device`))
  }
  // Only the assigned agent takes conversations; the other general agent is there, away.
  sockets.get('agentSameTeam')?.send({ t: 'agent.status', status: 'away' })
  tokens.set('customerOther', await server.customerToken({ userId: 'm-customer-b' }))
  sockets.set('customerOther', await server.connect(tokens.get('customerOther') ?? '', 'b-device'))
}, 60_000)
afterAll(async () => {
  await Promise.all([...sockets.values()].map((socket) => socket.close()))
  await stack?.stop()
})

/** A fresh conversation of a fresh customer A, assigned, with a voice room and an upload. */
async function freshScene(): Promise<Scene> {
  const token = await server.customerToken({ userId: `m-customer-a-${++scenes}` })
  tokens.set('customerSelf', token)
  sockets.get('customerSelf')?.socket.close()
  const customer = await server.connect(token, `a-device-${scenes}`)
  sockets.set('customerSelf', customer)
  const opened = await customer.openConversation()
  await customer.waitFor('conversation.assigned', (frame) => frame.conversation.id === opened.id)
  customer.send({ t: 'voice.start', conversationId: opened.id })
  await customer.waitFor('conversation.updated', (frame) => frame.conversation.voiceRoom !== null)
  const conversation = await server.server.repo.getConversation(opened.id)
  if (conversation?.agentId !== 's_m-assigned')
    throw new Error('the scene’s conversation went to the wrong agent')
  const upload = await fetch(`${server.url}/api/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` },
    body: TINY_PNG,
  })
  return { conversation, uploadUrl: ((await upload.json()) as { url: string }).url }
}

async function restOutcome(rule: RestRule, scene: Scene, who: Who): Promise<boolean> {
  if ('exempt' in rule) throw new Error('exempt')
  const token = tokens.get(who)
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  if ('listsConversation' in rule) {
    const response = await fetch(`${server.url}/api/conversations`, { headers: auth })
    if (!response.ok) return false
    const { conversations } = (await response.json()) as { conversations: { id: string }[] }
    return conversations.some((listed) => listed.id === scene.conversation.id)
  }
  const { method, path, body } = rule.request(scene)
  const isBinary = Buffer.isBuffer(body)
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...auth, 'content-type': isBinary ? 'image/png' : 'application/json' },
    ...(body === undefined ? {} : { body: isBinary ? body : JSON.stringify(body) }),
  })
  if (response.status === 401 || response.status === 403 || response.status === 404) return false
  expect(response.status, `${who} ${method} ${path}`).toBeLessThan(400)
  return true
}

let pings = 0
/** Sends the frame, then a ping: frames of a socket are answered in order, so no refusal before the pong means allowed. */
async function frameOutcome(rule: FrameRule, scene: Scene, who: Person): Promise<boolean> {
  if ('exempt' in rule) throw new Error('exempt')
  const socket = sockets.get(who)
  if (!socket) throw new Error(`no socket for ${who}`)
  const cid = `matrix-${++pings}`
  const frame = rule.frame(scene, cid)
  const ref = frame.t === 'message.send' ? cid : String(frame.t)
  const seenBefore = socket.frames.length
  socket.send(frame)
  socket.send({ t: 'ping', at: pings })
  const at = pings
  await socket.waitFor('pong', (pong) => pong.at === at, 30_000)
  const refusal = socket.frames
    .slice(seenBefore)
    .find(
      (answer) =>
        answer.t === 'error' && answer.ref === ref && ['forbidden', 'not_found'].includes(answer.code),
    )
  return refusal === undefined
}

describe('the authorization matrix', () => {
  it('has a rule for every route the server answers and every frame a client can send', () => {
    expect(server.server.routes.filter((route) => !(route in REST))).toEqual([])
    const frameTypes = ClientFrameSchema.options.map((option) => option.shape.t.value)
    expect(frameTypes.filter((t) => !(t in FRAMES))).toEqual([])
  })

  for (const [route, rule] of Object.entries(REST)) {
    if ('exempt' in rule) continue
    it(`${route}: ${rule.allowed.join(', ')}`, async () => {
      const scene = await freshScene()
      const outcomes: Record<string, boolean> = {}
      for (const who of [...PEOPLE, 'anonymous' as const]) outcomes[who] = await restOutcome(rule, scene, who)
      expect(outcomes).toEqual(
        Object.fromEntries([...PEOPLE, 'anonymous'].map((who) => [who, rule.allowed.includes(who as Who)])),
      )
    })
  }

  for (const [type, rule] of Object.entries(FRAMES)) {
    if ('exempt' in rule) continue
    it(`${type}: ${rule.allowed.join(', ')}`, async () => {
      const scene = await freshScene()
      const order = [...PEOPLE.filter((who) => !rule.allowed.includes(who)), ...rule.allowed]
      const outcomes: Record<string, boolean> = {}
      for (const who of order) outcomes[who] = await frameOutcome(rule, scene, who)
      expect(outcomes).toEqual(Object.fromEntries(order.map((who) => [who, rule.allowed.includes(who)])))
    })
  }
})
