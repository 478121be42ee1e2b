import {
  asConversationId,
  asTeamId,
  asUserId,
  type ConversationId,
  DEFAULT_ROUTING_CONFIG,
  type RoutingConfig,
  routingDuring,
} from '@kefu/shared'
import { samplePlaybook } from '@kefu/shared/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RoutingState } from '../RoutingState'

const general = asTeamId('general')
const premium = asTeamId('premium')
const conv = (n: number | string) => asConversationId(`c${n}`)
const agent = (n: number | string) => asUserId(`a${n}`)

type Open = (config: RoutingConfig) => Promise<{ here: RoutingState; there: RoutingState }>

async function staffed(routing: RoutingState, agents: number, capacity: number, teams = [general]) {
  for (let n = 0; n < agents; n++) {
    await routing.upsertAgent({ id: agent(n), teams, capacity })
    await routing.setAgentStatus(agent(n), 'available')
  }
}

/**
 * What every `RoutingState` must do. `open` gives two handles on one routing state (two nodes of a
 * cluster; in-process, the same object twice), so the races between nodes are raced here.
 */
export function describeRoutingStateContract(name: string, open: Open): void {
  describe(`${name} routing state contract`, () => {
    it('puts conversations in line by priority, then arrival, and says each one’s place', async () => {
      const { here, there } = await open(DEFAULT_ROUTING_CONFIG)
      expect(
        await here.enqueue({ conversationId: conv('old'), teamId: general, priority: 0, enqueuedAt: 1 }),
      ).toBe(1)
      expect(
        await there.enqueue({ conversationId: conv('vip'), teamId: general, priority: 5, enqueuedAt: 9 }),
      ).toBe(1)
      expect(await here.queuePosition(conv('old'))).toBe(2)
      expect(await there.reprioritize(conv('old'), 9)).toBe(true)
      expect((await here.orderedQueue()).map((entry) => entry.conversationId)).toEqual([
        conv('old'),
        conv('vip'),
      ])
      expect(await here.reprioritize(conv('nobody'), 1)).toBe(false)
    })

    it('tells each move in line once, to whichever node asks', async () => {
      const { here, there } = await open(DEFAULT_ROUTING_CONFIG)
      await here.enqueue({ conversationId: conv(1), teamId: general, priority: 0, enqueuedAt: 1 })
      await here.enqueue({ conversationId: conv(2), teamId: general, priority: 0, enqueuedAt: 2 })
      expect(await there.takeQueueMoves()).toEqual([])
      await staffed(here, 1, 1)
      expect(await there.assign(10)).toHaveLength(1)
      expect(await here.takeQueueMoves()).toEqual([{ conversationId: conv(2), position: 1 }])
      expect(await there.takeQueueMoves()).toEqual([])
    })

    it('reports agents with status and load, and takes back what one held', async () => {
      const { here, there } = await open(DEFAULT_ROUTING_CONFIG)
      await staffed(here, 2, 3)
      await there.setAgentStatus(agent(1), 'away')
      await here.attach(conv(1), agent(0))
      await there.attach(conv(2), agent(0))
      expect(await there.agents()).toEqual([
        { id: agent(0), status: 'available', load: 2 },
        { id: agent(1), status: 'away', load: 0 },
      ])
      expect(await here.agentStatus(agent(9))).toBeUndefined()
      expect((await there.takeFromAgent(agent(0))).sort()).toEqual([conv(1), conv(2)])
      expect(await here.load(agent(0))).toBe(0)
      await here.release(conv(3))
    })

    it('attaches within capacity only, one at a time, and again to the agent who has it', async () => {
      const { here, there } = await open(DEFAULT_ROUTING_CONFIG)
      await staffed(here, 1, 2)
      const attached = await Promise.all(
        [1, 2, 3, 4].map((n) => (n % 2 ? here : there).attach(conv(n), agent(0), 2)),
      )
      expect(attached.filter(Boolean)).toHaveLength(2)
      expect(await there.load(agent(0))).toBe(2)
      const held = [1, 2, 3, 4].find((n) => attached[n - 1]) ?? 0
      expect(await here.attach(conv(held), agent(0), 2)).toBe(true)
      expect(await here.load(agent(0))).toBe(2)
    })

    it('overflows by the policy it was last given, keeping the line and the loads', async () => {
      const { here, there } = await open(DEFAULT_ROUTING_CONFIG)
      await staffed(here, 1, 5, [general])
      await here.enqueue({ conversationId: conv('p'), teamId: premium, priority: 4, enqueuedAt: 0 })
      expect(await there.assign(1)).toEqual([])
      const emergency = samplePlaybook()
      await there.reconfigure(routingDuring(emergency, DEFAULT_ROUTING_CONFIG))
      const [assignment] = await here.assign(2)
      expect(assignment).toMatchObject({
        conversationId: conv('p'),
        agentId: agent(0),
        teamId: general,
        viaOverflow: true,
      })
    })

    it('never gives a conversation twice nor an agent more than capacity, however nodes race', async () => {
      const step = fc.oneof(
        fc.record({ op: fc.constant('enqueue' as const), priority: fc.integer({ min: 0, max: 5 }) }),
        fc.record({ op: fc.constant('assign' as const) }),
        fc.record({ op: fc.constant('release' as const), n: fc.integer({ min: 0, max: 60 }) }),
        fc.record({
          op: fc.constant('status' as const),
          a: fc.integer({ min: 0, max: 2 }),
          available: fc.boolean(),
        }),
      )
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(step, fc.boolean()), { maxLength: 60 }), async (steps) => {
          const { here, there } = await open(DEFAULT_ROUTING_CONFIG)
          await staffed(here, 3, 2)
          const assigned = new Set<ConversationId>()
          const released = new Set<ConversationId>()
          // Every step starts before the last finished: the nodes' calls interleave. Each
          // conversation is put in line once, as the lifecycle does under the conversation's lock.
          await Promise.all(
            steps.map(async ([s, atHere], index) => {
              const node = atHere ? here : there
              if (s.op === 'enqueue')
                await node.enqueue({
                  conversationId: conv(index),
                  teamId: general,
                  priority: s.priority,
                  enqueuedAt: index,
                })
              else if (s.op === 'release') {
                released.add(conv(s.n))
                await node.release(conv(s.n))
              } else if (s.op === 'status')
                await node.setAgentStatus(agent(s.a), s.available ? 'available' : 'away')
              else
                for (const assignment of await node.assign(index)) {
                  expect(assigned.has(assignment.conversationId)).toBe(false)
                  assigned.add(assignment.conversationId)
                }
            }),
          )
          for (const { load } of await here.agents()) expect(load).toBeLessThanOrEqual(2)
          const waiting = (await there.orderedQueue()).map((entry) => entry.conversationId)
          for (const id of waiting) expect(assigned.has(id)).toBe(false)
          // None lost: every conversation put in line was given out, still waits, or was let go.
          for (const [index, [s]] of steps.entries())
            if (s.op === 'enqueue') {
              const id = conv(index)
              expect(assigned.has(id) || waiting.includes(id) || released.has(id)).toBe(true)
            }
        }),
        { numRuns: 60 },
      )
    })
  })
}
