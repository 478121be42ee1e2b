import type { Cancel, Clock, Logger } from '@kefu/shared'
import { runLogged } from '../local/InProcessJobs'
import type { Metrics } from '../metrics/prometheus'
import type { Jobs } from '../ports/Jobs'
import type { Leases } from './Leases'
import { LuaScript, type RedisLink } from './RedisLink'

// Every pending one-shot job of the cluster: a sorted set of `kind␁subject` by when it is due.
const DUE = 'jobs:due'
const SEPARATOR = '\u0001'
// How often each node looks for due jobs that nobody's timer ran (their node died, or restarted).
const DEFAULT_SWEEP_MS = 5_000
const SWEEP_BATCH = 50

// ARGV: member, now. Takes the job if it is due: 1 for the one node that gets to run it.
const CLAIM = new LuaScript(`
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) > tonumber(ARGV[2]) then return 0 end
return redis.call('ZREM', KEYS[1], ARGV[1])`)

// ARGV: now, batch. Takes every due job up to the batch, for this node to run.
const CLAIM_DUE = new LuaScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, member in ipairs(due) do redis.call('ZREM', KEYS[1], member) end
return due`)

/**
 * Jobs for a cluster. A schedule runs on whichever node holds its lease: every node keeps its
 * timer, and at each beat runs the work only if it holds (or can take) the lease, so when the
 * holder dies the next node to beat takes over. A one-shot job is a member of one sorted set that
 * any node can claim once it is due: the node that scheduled it claims it on its timer, and every
 * node sweeps for due jobs whose node is gone. A job is claimed before it runs, so a node that
 * dies mid-run loses that one run (a grace timer's re-queue is also done at the next start).
 */
export class RedisJobs implements Jobs {
  private readonly kinds = new Map<string, (subject: string) => Promise<void>>()
  private readonly stops = new Set<Cancel>()

  constructor(
    private readonly link: RedisLink,
    private readonly leases: Leases,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: Pick<Metrics, 'jobRuns'>,
    sweepMs = DEFAULT_SWEEP_MS,
  ) {
    this.stops.add(this.every('jobs:sweep', sweepMs, () => this.sweep(), { everyNode: true }))
  }

  every(
    name: string,
    intervalMs: number,
    work: () => Promise<void>,
    { everyNode = false }: { everyNode?: boolean } = {},
  ): Cancel {
    let cancelTimer: Cancel = () => {}
    let stopped = false
    const lease = `jobs:lease:${name}`
    const beat = async () => {
      if (everyNode || (await this.leases.take(lease).catch(() => false))) {
        const outcome = (await runLogged(this.logger, name, work)) ? 'ok' : 'failed'
        if (!everyNode) this.metrics.jobRuns.inc({ job: name, outcome })
      }
      if (!stopped) cancelTimer = this.clock.setTimeout(beat, intervalMs)
    }
    cancelTimer = this.clock.setTimeout(beat, intervalMs)
    const stop = () => {
      stopped = true
      cancelTimer()
      this.stops.delete(stop)
      if (this.leases.isHeld(lease)) this.leases.giveBack(lease).catch(() => {})
    }
    this.stops.add(stop)
    return stop
  }

  define(kind: string, work: (subject: string) => Promise<void>): void {
    this.kinds.set(kind, work)
  }

  async after(kind: string, subject: string, delayMs: number): Promise<void> {
    if (!this.kinds.has(kind)) throw new Error(`No job of kind ${kind} is defined`)
    const member = `${kind}${SEPARATOR}${subject}`
    await this.link.commands.zadd(this.link.key(DUE), this.clock.now() + delayMs, member)
    const cancelTimer = this.clock.setTimeout(async () => {
      this.stops.delete(cancelTimer)
      if ((await this.link.run(CLAIM, [DUE], [member, this.clock.now()]).catch(() => 0)) === 1)
        await this.runClaimed(member)
    }, delayMs)
    this.stops.add(cancelTimer)
  }

  async cancel(kind: string, subject: string): Promise<void> {
    await this.link.commands.zrem(this.link.key(DUE), `${kind}${SEPARATOR}${subject}`)
  }

  stop(): void {
    for (const stop of [...this.stops]) stop()
  }

  private async sweep(): Promise<void> {
    const claimed = (await this.link.run(CLAIM_DUE, [DUE], [this.clock.now(), SWEEP_BATCH])) as string[]
    await Promise.all(claimed.map((member) => this.runClaimed(member)))
  }

  private async runClaimed(member: string): Promise<void> {
    const at = member.indexOf(SEPARATOR)
    const kind = member.slice(0, at)
    const work = this.kinds.get(kind)
    if (!work) {
      this.logger.error({ job: kind }, 'a job of a kind this node does not define was due')
      return
    }
    await runLogged(this.logger, member, () => work(member.slice(at + 1)))
  }
}
