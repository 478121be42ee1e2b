import type { Alert, DashboardFigure, DashboardSnapshot } from '@kefu/shared'
import { useState } from 'react'
import { api } from '../net/api'
import type { LiveSession } from '../state/useChatSession'
import { Experiments } from './Experiments'
import { changeOf, FIGURES, formatDuration, formatFigure, TILE_ORDER } from './figures'
import { type ChartSeries, UPlotChart } from './UPlotChart'
import { useQualityFeed } from './useQualityFeed'

const WINDOWS = [
  { label: 'Last 5 min', ms: 5 * 60_000 },
  { label: 'Last hour', ms: 3600_000 },
  { label: 'Last day', ms: 24 * 3600_000 },
] as const
const shareFormat = (value: number) => `${Math.round(value * 100)} %`

/** The time series, each with a line per team. */
const TEAM_CHARTS: readonly {
  title: string
  pick: 'frt' | 'queue' | 'serviceLevel' | 'csat'
  format?: (value: number) => string
  isShare?: boolean
}[] = [
  { title: 'First response by team', pick: 'frt', format: formatDuration },
  { title: 'Queue length by team', pick: 'queue' },
  { title: 'Service level by team', pick: 'serviceLevel', format: shareFormat, isShare: true },
  { title: 'CSAT by team', pick: 'csat', format: shareFormat, isShare: true },
]

/** The feelings the emotion chart follows (neutral is the rest), each in a color that reads as it. */
const EMOTION_LINES = [
  { emotion: 'anger', label: 'Anger', color: '#d92d20' },
  { emotion: 'anxiety', label: 'Anxiety', color: '#e0a31a' },
  { emotion: 'sadness', label: 'Sadness', color: '#6172f3' },
  { emotion: 'satisfaction', label: 'Satisfaction', color: '#12b76a' },
] as const

/** One color per team, in the order the teams come. */
const TEAM_COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2']

/** The supervisor's live view of their teams: twelve figures, their trends, agents and alerts. */
export function Dashboard({ live, token }: { live: LiveSession; token: string }) {
  const [windowMs, setWindowMs] = useState<number>(3600_000)
  const snapshot = useQualityFeed(live, windowMs)
  if (!snapshot) return <div className="panel">Reading the figures…</div>
  const teamLines = (pick: 'frt' | 'serviceLevel' | 'queue' | 'csat'): ChartSeries[] =>
    snapshot.teams.map((team, index) => ({
      label: team.name,
      color: TEAM_COLORS[index % TEAM_COLORS.length] ?? '#2563eb',
      values: snapshot.series.byTeam[team.teamId]?.[pick] ?? [],
    }))
  return (
    <section className="dashboard" data-testid="dashboard">
      <div className="dashboard-bar">
        <h2>Service quality</h2>
        <fieldset className="segmented" aria-label="Window">
          {WINDOWS.map((window) => (
            <button
              key={window.ms}
              type="button"
              className={window.ms === windowMs ? 'selected' : ''}
              onClick={() => setWindowMs(window.ms)}
            >
              {window.label}
            </button>
          ))}
        </fieldset>
        <span className="updated">Updated {new Date(snapshot.at).toLocaleTimeString()}</span>
      </div>
      <Alerts snapshot={snapshot} token={token} />
      <div className="tiles">
        {TILE_ORDER.map((figure) => (
          <Tile key={figure} figure={figure} snapshot={snapshot} />
        ))}
      </div>
      <div className="charts">
        {TEAM_CHARTS.map((chart) => (
          <ChartCard key={chart.pick} title={chart.title} testId={`chart-${chart.pick}`}>
            <UPlotChart
              at={snapshot.series.at}
              series={teamLines(chart.pick)}
              height={180}
              {...(chart.format ? { format: chart.format } : {})}
              {...(chart.isShare ? { range: [0, 1] as [number, number] } : {})}
            />
          </ChartCard>
        ))}
        <ChartCard title="Customer emotion (share of their messages)" testId="chart-emotion">
          <UPlotChart
            at={snapshot.series.at}
            series={EMOTION_LINES.map((line) => ({ ...line, values: snapshot.series.emotion[line.emotion] }))}
            height={180}
            format={shareFormat}
            range={[0, 1]}
          />
        </ChartCard>
      </div>
      <AgentTable snapshot={snapshot} />
      <Experiments token={token} />
    </section>
  )
}

function Tile({ figure, snapshot }: { figure: DashboardFigure; snapshot: DashboardSnapshot }) {
  const tile = snapshot.tiles[figure]
  const meta = FIGURES[figure]
  const change = changeOf(figure, tile.now, tile.previous)
  return (
    <div className="tile" data-testid={`tile-${figure}`} title={meta.means}>
      <div className="tile-label">{meta.label}</div>
      <div className="tile-value" data-testid={`tile-${figure}-value`}>
        {formatFigure(figure, tile.now.value)}
      </div>
      <div className="tile-foot">
        {change ? (
          <span className={`change ${change.tone}`}>{change.text}</span>
        ) : (
          <span className="change flat">no earlier data</span>
        )}
        <span className="base">
          {figure === 'delivery'
            ? `${formatFigure('frt', snapshot.deliveryLatency.value)} avg`
            : `n = ${tile.now.count}`}
        </span>
      </div>
      <UPlotChart
        at={spansOf(snapshot, tile.spark.length)}
        series={[{ label: meta.label, color: '#2563eb', values: tile.spark }]}
        height={36}
        spark
      />
    </div>
  )
}

// Sparkline times: evenly spread over the window, ending now.
function spansOf(snapshot: DashboardSnapshot, points: number): number[] {
  const step = snapshot.windowMs / points
  return Array.from({ length: points }, (_, index) => snapshot.at - (points - 1 - index) * step)
}

function ChartCard({
  title,
  testId,
  children,
}: {
  title: string
  testId: string
  children: React.ReactNode
}) {
  return (
    <div className="chart-card" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </div>
  )
}

/** An alert in the supervisor's words: the team, the figure, what it is against the limit or baseline. */
function describeAlert(alert: Alert, snapshot: DashboardSnapshot): string {
  const team = snapshot.teams.find((known) => known.teamId === alert.teamId)?.name ?? 'All teams'
  const figure = alert.figure as DashboardFigure | 'queue'
  const label = figure === 'queue' ? 'Queue length' : (FIGURES[figure]?.label ?? alert.figure)
  const value = formatFigure(figure, alert.value)
  const limit = formatFigure(figure, alert.limit)
  if (alert.kind === 'anomaly') return `${team}: ${label} ${value}, far from its recent baseline of ${limit}`
  return `${team}: ${label} ${value} is ${alert.value > alert.limit ? 'above' : 'below'} the limit of ${limit}`
}

function Alerts({ snapshot, token }: { snapshot: DashboardSnapshot; token: string }) {
  const [acknowledging, setAcknowledging] = useState<string>()
  const { alerts } = snapshot
  const open = alerts.filter((alert) => alert.acknowledgedAt === null)
  if (alerts.length === 0) return null
  return (
    <div className="alerts" data-testid="alerts">
      {open.length === 0 && <div className="alert quiet">All alerts acknowledged.</div>}
      {open.slice(0, 5).map((alert) => (
        <div key={alert.id} className={`alert ${alert.kind}`} data-testid="alert">
          <span className="alert-kind">{alert.kind === 'anomaly' ? 'Anomaly' : 'Threshold'}</span>
          <span className="alert-text">{describeAlert(alert, snapshot)}</span>
          <span className="alert-time">{new Date(alert.raisedAt).toLocaleTimeString()}</span>
          <button
            type="button"
            disabled={acknowledging === alert.id}
            onClick={() => {
              setAcknowledging(alert.id)
              api.acknowledgeAlert(token, alert.id).finally(() => setAcknowledging(undefined))
            }}
          >
            Acknowledge
          </button>
        </div>
      ))}
    </div>
  )
}

function AgentTable({ snapshot }: { snapshot: DashboardSnapshot }) {
  return (
    <table className="agents" data-testid="agent-table">
      <thead>
        <tr>
          <th>Agent</th>
          <th>Status</th>
          <th>Load</th>
          <th>First response</th>
          <th>Handling</th>
          <th>CSAT</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.agents.map((agent) => (
          <tr key={agent.agentId}>
            <td>{agent.name}</td>
            <td>
              <span className={`dot ${agent.status}`} /> {agent.status}
            </td>
            <td>
              <meter min={0} max={Math.max(agent.capacity, 1)} value={agent.load} /> {agent.load}/
              {agent.capacity}
            </td>
            <td>{formatFigure('frt', agent.frt.value)}</td>
            <td>{formatFigure('aht', agent.aht.value)}</td>
            <td>
              {formatFigure('csat', agent.csat.value)}
              {agent.csat.count > 0 && <span className="base"> ({agent.csat.count})</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
