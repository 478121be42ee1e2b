import type { Conversation } from '../domain/index'
import { asClientMessageId, asConversationId, asTeamId, asUserId } from '../ids'
import { type PlaybookEntry, PlaybookEntrySchema } from '../knowledge/playbook'
import { PROTOCOL_VERSION } from '../protocol/index'
import { ChatSession } from '../session/index'
import type { LocalMessage } from '../sync/ConversationLog'
import { ManualClock, ScriptedTransport } from './doubles'

/** An active web conversation between customer u1 (Ada) and agent a1, with any fields overridden. */
export function sampleConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: asConversationId('c1'),
    customerId: asUserId('u1'),
    customerName: 'Ada',
    channel: 'web',
    delivery: 'kefu',
    state: 'active',
    teamId: asTeamId('general'),
    agentId: asUserId('a1'),
    priority: 0,
    lastSeq: 0,
    createdAt: 1,
    updatedAt: 1,
    queuedAt: 1,
    firstResponseAt: null,
    resolvedAt: null,
    voiceRoom: null,
    ...overrides,
  }
}

/** A ChatSession for customer u1, connected and welcomed by a scripted server. */
export async function welcomedSession(
  welcome: { conversations?: Conversation[]; features?: { voice: boolean } } = {},
): Promise<{ session: ChatSession; transport: ScriptedTransport }> {
  const transport = new ScriptedTransport()
  const session = new ChatSession({
    openTransport: () => transport,
    clock: new ManualClock(),
    ids: { newId: () => 'id' },
    deviceId: 'device',
  })
  await session.start()
  transport.open()
  transport.deliver({
    t: 'welcome',
    v: PROTOCOL_VERSION,
    epoch: 'e1',
    userId: 'u1',
    role: 'customer',
    displayName: 'Ada',
    conversations: welcome.conversations ?? [],
    ...(welcome.features ? { features: welcome.features } : {}),
  })
  return { session, transport }
}

/** A payment-outage playbook: overflow to general at once, questions about paying up by 5. */
export function samplePlaybook(overrides: Partial<PlaybookEntry> = {}): PlaybookEntry {
  return PlaybookEntrySchema.parse({
    id: 'outage',
    tier: 'playbook',
    lang: 'zh',
    title: '支付故障',
    match: ['支付', 'pay'],
    banner: { zh: '支付故障', en: 'Payments are down' },
    autoReply: { zh: '正在抢修', en: 'Being repaired' },
    routing: { overflowAfterMs: 0, overflowTo: 'general', priorityBoost: 5 },
    ...overrides,
  })
}

/** One message of conversation c1's history as a device holds it, by default the assistant's. */
export function historyMessage(
  seq: number,
  kind: LocalMessage['kind'],
  body: string,
  authorRole: LocalMessage['authorRole'] = 'bot',
): LocalMessage {
  return {
    conversationId: asConversationId('c1'),
    seq,
    cid: asClientMessageId(`c${seq}`),
    authorId: asUserId(authorRole),
    authorRole,
    kind,
    body,
    createdAt: seq,
  }
}
