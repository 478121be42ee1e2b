import { type DashboardFigure, type FigureValue, SHARE_FIGURES } from '@kefu/shared'

interface FigureMeta {
  label: string
  /** What the figure counts, for the tile's tooltip. */
  means: string
  /** Whether a rise is good news (CSAT) or bad (FRT). */
  better: 'higher' | 'lower'
}

/** The twelve tiles, in the order a supervisor reads them: speed, outcome, load, platform. */
export const TILE_ORDER: readonly DashboardFigure[] = [
  'frt',
  'asa',
  'serviceLevel',
  'abandonment',
  'aht',
  'ttr',
  'fcr',
  'csat',
  'transfer',
  'containment',
  'occupancy',
  'delivery',
]

export const FIGURES: Record<DashboardFigure, FigureMeta> = {
  frt: {
    label: 'First response',
    means: 'Customer’s first message to the first human reply',
    better: 'lower',
  },
  asa: { label: 'Speed of answer', means: 'Queued to first assigned', better: 'lower' },
  aht: { label: 'Handling time', means: 'Sum of agents’ spans on a conversation', better: 'lower' },
  ttr: { label: 'Time to resolve', means: 'Opened to last resolved', better: 'lower' },
  fcr: { label: 'First-contact resolution', means: 'Resolved, not reopened within 7 days', better: 'higher' },
  csat: { label: 'CSAT', means: 'Ratings of 4 or 5 among ratings', better: 'higher' },
  abandonment: { label: 'Abandoned', means: 'Left the queue before anyone took them', better: 'lower' },
  serviceLevel: { label: 'Service level', means: 'Taken within the team’s answer target', better: 'higher' },
  transfer: { label: 'Transferred', means: 'Conversations transferred at least once', better: 'lower' },
  containment: { label: 'AI containment', means: 'Resolved without any agent', better: 'higher' },
  occupancy: { label: 'Occupancy', means: 'Online agent time with a conversation', better: 'higher' },
  delivery: { label: 'Delivered', means: 'Messages handed to a recipient’s device', better: 'higher' },
}

/** A figure as a person reads it: 12.3 s, 2 min 5 s, 87 %. */
export function formatFigure(figure: DashboardFigure | 'queue', value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  if (figure === 'queue') return String(Math.round(value))
  if (SHARE_FIGURES.has(figure)) return `${Math.round(value * 1000) / 10} %`
  return formatDuration(value)
}

export function formatDuration(ms: number): string {
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** The change against the previous window, and whether it is good news. */
export function changeOf(
  figure: DashboardFigure,
  now: FigureValue,
  previous: FigureValue,
): { text: string; tone: 'good' | 'bad' | 'flat' } | undefined {
  if (now.value === null || previous.value === null) return undefined
  const delta = now.value - previous.value
  if (Math.abs(delta) < 1e-9) return { text: '±0', tone: 'flat' }
  const rises = delta > 0
  const arrow = rises ? '▲' : '▼'
  const size = SHARE_FIGURES.has(figure)
    ? `${Math.abs(Math.round(delta * 1000) / 10)} pt`
    : formatDuration(Math.abs(delta))
  const good = rises === (FIGURES[figure].better === 'higher')
  return { text: `${arrow} ${size}`, tone: good ? 'good' : 'bad' }
}
