import {
  asClientMessageId,
  asUserId,
  type ConversationId,
  DEFAULT_ROUTING_CONFIG,
  type KnowledgeRecord,
  type PlaybookEntry,
} from '@kefu/shared'
import { samplePlaybook } from '@kefu/shared/testing'
import { describe, expect, it } from 'vitest'
import type { Session } from '../auth/sessionTokens'
import { serviceTopic } from '../ports/Bus'
import type { Repository } from '../store/Repository'
import { coreOn, customer, general, storesClosedAfterEach } from '../testing/inProcessCore'
import { EmergencyMode } from './EmergencyMode'

const lead: Session = {
  userId: asUserId('lead'),
  role: 'supervisor',
  displayName: 'Lee',
  teams: [general],
  isGuest: false,
}
const outage: PlaybookEntry = samplePlaybook()
const knowledge = {
  get: (id: string): KnowledgeRecord | undefined =>
    id === outage.id ? { entry: outage, status: 'active', updatedAt: 0, updatedBy: 'lead' } : undefined,
}

/** Emergency mode on the in-process core, with what it broadcasts and announces recorded. */
async function emergencyOn(repo: Repository) {
  const { core, clock, ports, logger } = await coreOn(repo)
  const banners: (string | null)[] = []
  await ports.bus.subscribe(serviceTopic, (payload) =>
    banners.push(JSON.parse(payload).notice?.playbookId ?? null),
  )
  const announced: string[] = []
  let ids = 0
  const emergency = new EmergencyMode({
    repo,
    knowledge,
    queue: core.queue,
    history: core.history,
    conversations: core.conversations,
    writer: core.writer,
    router: ports.router,
    routing: DEFAULT_ROUTING_CONFIG,
    bus: ports.bus,
    changes: { announce: (change) => announced.push(change) },
    locks: ports.locks,
    clock,
    ids: { newId: () => `e${++ids}` },
    logger,
  })
  const waiting = async (id: string, text: string): Promise<ConversationId> => {
    const opened = await core.lifecycle.open(customer(id), 'web')
    await core.messaging.send(customer(id), {
      conversationId: opened.id,
      cid: asClientMessageId(`${id}-1`),
      kind: 'text',
      body: text,
    })
    return opened.id
  }
  const priorityOf = async (id: ConversationId) => (await repo.getConversation(id))?.priority
  return { emergency, banners, announced, waiting, priorityOf, router: ports.router }
}

describe('emergency mode, in process', () => {
  const store = storesClosedAfterEach()

  it('switched on, tells every screen, moves up who asked about it, and switched off undoes exactly that', async () => {
    const repo = await store()
    const { emergency, banners, announced, waiting, priorityOf } = await emergencyOn(repo)
    const asked = await waiting('ada', '我支付失败了')
    const other = await waiting('bo', '发票怎么开')
    const [askedBefore, otherBefore] = [await priorityOf(asked), await priorityOf(other)]
    const activation = await emergency.activate(lead, outage.id)
    expect(activation.boosted).toEqual([asked])
    expect(await priorityOf(asked)).toBe((askedBefore ?? 0) + outage.routing.priorityBoost)
    expect(await priorityOf(other)).toBe(otherBefore)
    expect(emergency.notice()?.playbookId).toBe(outage.id)
    await emergency.deactivate(lead)
    expect(await priorityOf(asked)).toBe(askedBefore)
    expect(emergency.notice()).toBeNull()
    expect(banners).toEqual([outage.id, null])
    expect(announced).toEqual(['playbook', 'playbook'])
    expect((await emergency.log()).activations[0]).toMatchObject({ deactivatedBy: 'lead', boosted: [asked] })
  })

  it('refuses a second playbook while one is on, and switching on the one on changes nothing', async () => {
    const repo = await store()
    const { emergency, announced } = await emergencyOn(repo)
    const first = await emergency.activate(lead, outage.id)
    expect(await emergency.activate(lead, outage.id)).toEqual(first)
    await expect(emergency.activate(lead, 'another')).rejects.toMatchObject({ code: 'conflict' })
    expect(announced).toEqual(['playbook'])
  })

  it('follows, through the store, a playbook another node switched on and then off', async () => {
    const repo = await store()
    const here = await emergencyOn(repo)
    const there = await emergencyOn(repo)
    await there.emergency.activate(lead, outage.id)
    expect(here.emergency.notice()).toBeNull()
    await here.emergency.restore()
    expect(here.emergency.notice()?.playbookId).toBe(outage.id)
    await there.emergency.deactivate(lead)
    await here.emergency.restore()
    expect(here.emergency.notice()).toBeNull()
  })
})
