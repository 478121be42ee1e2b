import {
  type Clock,
  FIGURE_NAMES,
  type FigureName,
  meanOf,
  type QualityFigures,
  type SliceKey,
} from '@kefu/shared'
import { Gauge, type Registry } from 'prom-client'
import type { Repository } from '../store/Repository'
import type { LiveQuality } from './LiveQuality'

const HOUR_MS = 3600_000
/** Durations are exported in seconds, shares as 0-1: Prometheus' own units. */
const EXPORTED: Record<FigureName, string> = {
  frt: 'frt_seconds',
  asa: 'asa_seconds',
  aht: 'aht_seconds',
  ttr: 'ttr_seconds',
  fcr: 'fcr_ratio',
  abandonment: 'abandonment_ratio',
  serviceLevel: 'service_level_ratio',
  transfer: 'transfer_ratio',
  csat: 'csat_ratio',
  containment: 'ai_containment_ratio',
}
const DURATIONS: ReadonlySet<string> = new Set(['frt', 'asa', 'aht', 'ttr'])
/** An agent's own figures: the others are the service's, not one person's. */
const AGENT_FIGURES: readonly FigureName[] = ['frt', 'aht', 'csat']

type Dimension = 'team' | 'agent' | 'channel'

/**
 * The quality figures of the last hour on /metrics, per team, agent and channel: read from the live
 * ledger at each scrape (the same figures `GET /api/quality` and the dashboard show). A figure with
 * no base (nothing to measure) is not exported.
 */
export function registerQualityGauges(
  registry: Registry,
  live: LiveQuality,
  repo: Repository,
  clock: Clock,
): void {
  const figuresBy = async (dimension: Dimension): Promise<[string, QualityFigures][]> => {
    const to = clock.now() + 1
    const from = to - HOUR_MS
    const slices: SliceKey[] =
      dimension === 'team'
        ? (await repo.listTeams()).map((team) => `team:${team.id}` as const)
        : live.ledger.slicesOf(`${dimension}:`, from, to)
    return slices.map((slice) => [slice.slice(dimension.length + 1), live.ledger.figures(slice, from, to)])
  }
  const gauge = (dimension: Dimension, name: string, help: string, read: 'value' | 'count') =>
    new Gauge({
      name,
      help,
      labelNames: [dimension, 'figure'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        const names = dimension === 'agent' ? AGENT_FIGURES : FIGURE_NAMES
        for (const [label, figures] of await figuresBy(dimension))
          for (const figure of names) {
            const mean = meanOf(figures[figure])
            if (mean === undefined) continue
            const value =
              read === 'count' ? figures[figure].count : DURATIONS.has(figure) ? mean / 1000 : mean
            this.set({ [dimension]: label, figure: EXPORTED[figure] }, value)
          }
      },
    })
  const what = 'conversations created in the last hour (seconds, or a 0-1 share)'
  gauge('team', 'kefu_quality_last_hour', `Quality figures of ${what}, by team`, 'value')
  gauge(
    'team',
    'kefu_quality_last_hour_count',
    'How many conversations each team figure is taken over',
    'count',
  )
  gauge('agent', 'kefu_agent_quality_last_hour', `Each agent's own figures of ${what}`, 'value')
  gauge('channel', 'kefu_channel_quality_last_hour', `Quality figures of ${what}, by channel`, 'value')
}
