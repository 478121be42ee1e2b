import type { Clock } from '@kefu/shared'
import { Gauge, type Registry } from 'prom-client'
import type { Repository } from '../store/Repository'
import { type Figure, qualityReport } from './qualityReport'

const HOUR_MS = 3600_000
/** Durations are exported in seconds, shares as 0-1: Prometheus' own units. */
const EXPORTED = {
  frt: 'frt_seconds',
  asa: 'asa_seconds',
  aht: 'aht_seconds',
  ttr: 'ttr_seconds',
  fcr: 'fcr_ratio',
  abandonment: 'abandonment_ratio',
  serviceLevel: 'service_level_ratio',
  transfer: 'transfer_ratio',
} as const
const DURATIONS: ReadonlySet<string> = new Set(['frt', 'asa', 'aht', 'ttr'])

interface Reading {
  labels: { team: string; figure: string }
  value: number
  count: number
}

// One scrape reads both gauges at once (prom-client collects them side by side): they share one
// recompute, reused for this long.
const READING_REUSE_MS = 1000

/**
 * The quality figures of the last hour, per team, on /metrics: the same recompute from the event
 * log as `GET /api/quality`, run when Prometheus scrapes (so a scrape every 15-30 s costs one read of
 * the hour's conversations). A figure with no base (no conversation to measure) is not exported.
 */
export function registerQualityGauges(registry: Registry, repo: Repository, clock: Clock): void {
  let latest: { at: number; readings: Promise<Reading[]> } | undefined
  const read = () => {
    const now = clock.now()
    if (!latest || now - latest.at > READING_REUSE_MS) latest = { at: now, readings: readQuality(repo, now) }
    return latest.readings
  }
  const gauge = (name: string, help: string, pick: (reading: Reading) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['team', 'figure'] as const,
      registers: [registry],
      async collect() {
        const readings = await read()
        this.reset()
        for (const reading of readings) this.set(reading.labels, pick(reading))
      },
    })
  gauge(
    'kefu_quality_last_hour',
    'Quality figures of conversations created in the last hour, by team (seconds, or a 0-1 share)',
    (reading) => reading.value,
  )
  gauge(
    'kefu_quality_last_hour_count',
    'How many conversations each figure of the last hour is taken over, by team',
    (reading) => reading.count,
  )
}

async function readQuality(repo: Repository, now: number): Promise<Reading[]> {
  const readings: Reading[] = []
  const to = now + 1
  for (const team of await repo.listTeams()) {
    // Each team's service level against its own answer target (premium's is the shortest).
    const report = await qualityReport(repo, {
      teamIds: [team.id],
      from: to - HOUR_MS,
      to,
      serviceTargetMs: team.answerTargetMs,
    })
    const figures = report.byTeam[team.id]
    if (!figures) continue
    for (const [name, figure] of Object.entries(figures) as [keyof typeof EXPORTED, Figure][]) {
      if (figure.value === null) continue
      readings.push({
        labels: { team: team.id, figure: EXPORTED[name] },
        value: DURATIONS.has(name) ? figure.value / 1000 : figure.value,
        count: figure.count,
      })
    }
  }
  return readings
}
