import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { asConversationId, asTeamId, DEFAULT_ALERT_RULES, DEFAULT_ROUTING_CONFIG } from '@kefu/shared'
import { ManualClock, sampleConversation } from '@kefu/shared/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalRoutingState } from '../local/LocalRoutingState'
import { createLogger } from '../logger'
import type { Repository } from '../store/Repository'
import { openSqliteRepository } from '../store/sqliteRepository'
import { AlertCenter } from './AlertCenter'
import { LiveQuality } from './LiveQuality'

const SECRET = 'alert-secret'
const general = asTeamId('general')

/** A manual clock that says each delay it is asked to wait, so a test waits for a retry to be planned. */
class PlanningClock extends ManualClock {
  private readonly planned: number[] = []
  private wake: (() => void) | undefined
  override setTimeout(callback: () => void, delayMs: number) {
    this.planned.push(delayMs)
    this.wake?.()
    return super.setTimeout(callback, delayMs)
  }
  async nextDelay(): Promise<number> {
    while (this.planned.length === 0) await new Promise<void>((resolve) => (this.wake = resolve))
    return this.planned.shift() as number
  }
}

interface Received {
  id: string | undefined
  signed: boolean
}

/** A webhook receiver on a loopback port that fails its first `failures` posts with 503. */
async function receiver(failures: number) {
  const received: Received[] = []
  const waiting: ((request: Received) => void)[] = []
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      const timestamp = String(request.headers['x-kefu-timestamp'])
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`
      const entry = {
        id: request.headers['x-kefu-alert-id'] as string | undefined,
        signed: request.headers['x-kefu-signature'] === expected,
      }
      received.push(entry)
      response.writeHead(received.length <= failures ? 503 : 200).end()
      waiting.shift()?.(entry)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`
  const nextPost = (): Promise<Received> => new Promise((resolve) => waiting.push(resolve))
  return {
    url,
    received,
    nextPost,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The alert center over the default rules, its live figures on the same store, clock and queue. */
function alertsOn(
  repo: Repository,
  clock: ManualClock,
  webhook?: { url: string; secret: string },
  router = new LocalRoutingState(DEFAULT_ROUTING_CONFIG),
): AlertCenter {
  return alertsAndFigures(repo, clock, webhook, router).alerts
}

function alertsAndFigures(
  repo: Repository,
  clock: ManualClock,
  webhook: { url: string; secret: string } | undefined,
  router: LocalRoutingState,
) {
  let ids = 0
  const live = new LiveQuality({ repo, router, routing: DEFAULT_ROUTING_CONFIG, clock })
  const alerts = new AlertCenter({
    repo,
    live,
    routing: DEFAULT_ROUTING_CONFIG,
    rules: DEFAULT_ALERT_RULES,
    clock,
    ids: { newId: () => `a${++ids}` },
    logger: createLogger('silent'),
    webhook,
  })
  return { alerts, live }
}

describe('alerts, on a manual clock', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it("raises an angry customer's alert once, signs its post, and retries a failing webhook under the same id", async () => {
    const repo: Repository = openSqliteRepository(':memory:')
    const webhook = await receiver(2)
    const clock = new PlanningClock(Date.UTC(2026, 11, 7, 9))
    const alerts = alertsOn(repo, clock, { url: webhook.url, secret: SECRET })
    cleanups.push(async () => {
      await alerts.stop()
      await webhook.close()
      await repo.close()
    })
    const angry = sampleConversation({ teamId: general })
    const firstPost = webhook.nextPost()
    await alerts.angryCustomer(angry, 0.9)
    await alerts.angryCustomer(angry, 0.95)
    expect((await alerts.recent([general])).map((alert) => alert.figure)).toEqual(['anger'])
    await firstPost
    expect(await clock.nextDelay()).toBe(1000)
    const secondPost = webhook.nextPost()
    await clock.advanceAndSettle(1000)
    await secondPost
    expect(await clock.nextDelay()).toBe(2000)
    const thirdPost = webhook.nextPost()
    await clock.advanceAndSettle(1999)
    expect(webhook.received).toHaveLength(2)
    await clock.advanceAndSettle(1)
    await thirdPost
    const [alert] = await alerts.recent([general])
    expect(webhook.received).toEqual([1, 2, 3].map(() => ({ id: alert?.id, signed: true })))
  })

  it("shows a team's alert only to that team's supervisors", async () => {
    const repo: Repository = openSqliteRepository(':memory:')
    const alerts = alertsOn(repo, new ManualClock(Date.UTC(2026, 11, 7, 9)))
    cleanups.push(() => repo.close())
    await alerts.angryCustomer(sampleConversation({ teamId: general }), 0.9)
    expect(await alerts.recent([asTeamId('premium')])).toEqual([])
    const [raised] = await alerts.recent([general])
    const id = raised?.id ?? 'none'
    await expect(alerts.acknowledge([asTeamId('premium')], id, 'sup-p' as never)).rejects.toMatchObject({
      code: 'not_found',
    })
    expect((await alerts.acknowledge([general], id, 'sup-g' as never)).acknowledgedBy).toBe('sup-g')
  })

  it('keeps what it raised and what its baselines learnt across a restart on the same store', async () => {
    const repo: Repository = openSqliteRepository(':memory:')
    cleanups.push(() => repo.close())
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 9))
    const router = new LocalRoutingState(DEFAULT_ROUTING_CONFIG)
    const sampleAndCheck = async ({ alerts, live }: ReturnType<typeof alertsAndFigures>) => {
      clock.advance(10_000)
      await live.sample(new Map())
      await alerts.check()
    }
    const before = alertsAndFigures(repo, clock, undefined, router)
    const angry = sampleConversation({ teamId: general })
    await before.alerts.angryCustomer(angry, 0.9)
    // A calm morning, nobody waiting, for longer than the baseline's warm-up.
    for (let sample = 0; sample <= DEFAULT_ALERT_RULES.anomaly.warmup; sample++) await sampleAndCheck(before)
    expect((await before.alerts.recent([general])).map((alert) => alert.figure)).toEqual(['anger'])

    const after = alertsAndFigures(repo, clock, undefined, router)
    await after.alerts.angryCustomer(angry, 0.95)
    for (let waiting = 0; waiting < 6; waiting++)
      await router.enqueue({
        conversationId: asConversationId(`c-wait-${waiting}`),
        teamId: general,
        priority: 0,
        enqueuedAt: clock.now(),
      })
    // The restarted center knows the calm baseline at once: six waiting is a break from it.
    await sampleAndCheck(after)
    expect((await after.alerts.recent([general])).map((alert) => alert.figure)).toEqual(['queue', 'anger'])
  })
})
