import {
  ForecastFileError,
  INTERVAL_MINUTES,
  parseForecastCsv,
  type StaffedDay,
  shiftPlanCsv,
  staffDay,
} from '@kefu/shared'
import { useEffect, useState } from 'react'
import { UPlotChart } from '../dashboard/UPlotChart'
import { api } from '../net/api'
import '../dashboard/dashboard.css'
import './staffing.css'

interface Targets {
  ahtS: number | undefined
  share: number
  withinS: number
  maxOccupancy: number
  shrinkage: number
}

type Source = { kind: 'history'; days: number } | { kind: 'file'; name: string; arrivals: number[] }

const DEFAULT_TARGETS: Targets = {
  ahtS: undefined,
  share: 0.8,
  withinS: 20,
  maxOccupancy: 0.85,
  shrinkage: 0.3,
}
// Times of the day as the chart's x axis: today's half hours, in local time.
const startOfDay = () => {
  const at = new Date()
  at.setHours(0, 0, 0, 0)
  return at.getTime()
}

const clock = (index: number) => {
  const minutes = index * INTERVAL_MINUTES
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function download(name: string, csv: string): void {
  const link = document.createElement('a')
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
  link.download = name
  link.click()
  URL.revokeObjectURL(link.href)
}

/**
 * Staffing for one team: arrivals per half hour (forecast from the team's history, or a forecast
 * file), the agents each half hour needs by Erlang C, and the three-layer shift plan with its cost
 * against staffing every open half hour at the day's peak.
 */
export function StaffingPage({
  token,
  teams,
}: {
  token: string
  teams: readonly { id: string; name: string }[]
}) {
  const [team, setTeam] = useState(teams[0]?.id ?? 'general')
  const [source, setSource] = useState<Source>({ kind: 'history', days: 7 })
  const [targets, setTargets] = useState<Targets>(DEFAULT_TARGETS)
  const [day, setDay] = useState<(StaffedDay & { ahtS: number }) | undefined>()
  const [problem, setProblem] = useState<string>()

  useEffect(() => {
    let current = true
    setProblem(undefined)
    if (source.kind === 'file') {
      const ahtS = targets.ahtS ?? 180
      setDay({ ...staffDay(source.arrivals, { ...targets, ahtS }), ahtS })
      return
    }
    const query: Record<string, string | number> = {
      team,
      days: source.days,
      share: targets.share,
      withinS: targets.withinS,
      maxOccupancy: targets.maxOccupancy,
      shrinkage: targets.shrinkage,
      ...(targets.ahtS ? { ahtS: targets.ahtS } : {}),
    }
    api.staffing(token, query).then(
      (reply) =>
        current &&
        setDay({ arrivals: reply.arrivals, intervals: reply.intervals, plan: reply.plan, ahtS: reply.ahtS }),
      (failure: Error) => {
        if (!current) return
        setDay(undefined)
        setProblem(failure.message)
      },
    )
    return () => {
      current = false
    }
  }, [token, team, source, targets])

  const readFile = async (file: File) => {
    try {
      setSource({ kind: 'file', name: file.name, arrivals: parseForecastCsv(await file.text()) })
    } catch (error) {
      setProblem(error instanceof ForecastFileError ? `${file.name}, ${error.message}` : String(error))
    }
  }
  const number = (key: keyof Targets, scale = 1) => ({
    value: targets[key] === undefined ? '' : String((targets[key] ?? 0) * scale),
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => {
      const value = event.target.value === '' ? undefined : Number(event.target.value) / scale
      setTargets({ ...targets, [key]: value ?? (key === 'ahtS' ? undefined : DEFAULT_TARGETS[key]) })
    },
  })

  const at = Array.from(
    { length: day?.arrivals.length ?? 0 },
    (_, index) => startOfDay() + index * INTERVAL_MINUTES * 60_000,
  )
  const plan = day?.plan
  const saving = plan && plan.hours.flatAtPeak > 0 ? 1 - plan.hours.plan / plan.hours.flatAtPeak : undefined
  return (
    <section className="staffing dashboard" data-testid="staffing">
      <div className="dashboard-bar">
        <h2>Staffing</h2>
        <select aria-label="Team" value={team} onChange={(event) => setTeam(event.target.value)}>
          {teams.map((known) => (
            <option key={known.id} value={known.id}>
              {known.name}
            </option>
          ))}
        </select>
        <label>
          Forecast from{' '}
          <select
            aria-label="Forecast from"
            value={source.kind === 'history' ? String(source.days) : 'file'}
            onChange={(event) =>
              event.target.value !== 'file' &&
              setSource({ kind: 'history', days: Number(event.target.value) })
            }
          >
            <option value="1">the last day</option>
            <option value="7">the last 7 days</option>
            <option value="28">the last 28 days</option>
            {source.kind === 'file' && <option value="file">{source.name}</option>}
          </select>
        </label>
        <label className="upload">
          Upload a forecast (CSV)
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="Forecast file"
            onChange={(event) => {
              const file = event.target.files?.[0]
              if (file) void readFile(file)
            }}
          />
        </label>
        <button
          type="button"
          disabled={!day}
          onClick={() =>
            day &&
            download(
              `staffing-${team}.csv`,
              shiftPlanCsv(
                day.intervals.map((interval) => interval.scheduled),
                day.plan,
              ),
            )
          }
        >
          Export CSV
        </button>
      </div>
      <fieldset className="targets">
        <label>
          Answered{' '}
          <input type="number" min={1} max={99} aria-label="Service level %" {...number('share', 100)} /> %
          within <input type="number" min={1} aria-label="Within seconds" {...number('withinS')} /> s
        </label>
        <label>
          Handling time{' '}
          <input
            type="number"
            min={1}
            placeholder={day ? String(Math.round(day.ahtS)) : 'measured'}
            aria-label="Handling time seconds"
            {...number('ahtS')}
          />{' '}
          s
        </label>
        <label>
          Occupancy cap{' '}
          <input
            type="number"
            min={10}
            max={100}
            aria-label="Occupancy cap %"
            {...number('maxOccupancy', 100)}
          />{' '}
          %
        </label>
        <label>
          Shrinkage{' '}
          <input type="number" min={0} max={90} aria-label="Shrinkage %" {...number('shrinkage', 100)} /> %
        </label>
      </fieldset>
      {problem && (
        <div className="alert" data-testid="staffing-problem">
          {problem}
        </div>
      )}
      {day && plan && (
        <>
          <div className="tiles">
            <div className="tile" data-testid="plan-base">
              <div className="tile-label">Base shift (≈80 % of normal load)</div>
              <div className="tile-value">{plan.base} agents</div>
              <div className="tile-foot">
                {plan.openSpan ? `${clock(plan.openSpan.from)}–${clock(plan.openSpan.to + 1)}` : 'closed'}
              </div>
            </div>
            <div className="tile" data-testid="plan-peak">
              <div className="tile-label">Peak shift (for a 200 % surge)</div>
              <div className="tile-value">{plan.peak} agents</div>
              <div className="tile-foot">
                {plan.peakSpan ? `${clock(plan.peakSpan.from)}–${clock(plan.peakSpan.to + 1)}` : 'not needed'}
              </div>
            </div>
            <div className="tile" data-testid="plan-part-time">
              <div className="tile-label">Part-time pool</div>
              <div className="tile-value">
                {(plan.partTime.reduce((sum, count) => sum + count, 0) * INTERVAL_MINUTES) / 60} h
              </div>
              <div className="tile-foot">booked by the half hour</div>
            </div>
            <div className="tile" data-testid="plan-cost">
              <div className="tile-label">Paid hours: plan vs peak all day</div>
              <div className="tile-value">
                {plan.hours.plan} h <span className="versus">/ {plan.hours.flatAtPeak} h</span>
              </div>
              <div className="tile-foot">
                {saving !== undefined ? (
                  <span className="change good">saves {Math.round(saving * 100)} %</span>
                ) : (
                  '—'
                )}
              </div>
            </div>
          </div>
          <div className="chart-card wide" data-testid="staffing-chart">
            <h3>Agents per half hour</h3>
            <UPlotChart
              at={at}
              height={260}
              series={[
                {
                  label: 'Needed (Erlang C)',
                  color: '#2563eb',
                  values: day.intervals.map((interval) => interval.scheduled),
                },
                { label: 'Planned', color: '#059669', values: plan.covered },
                {
                  label: 'Arrivals',
                  color: '#d97706',
                  values: day.arrivals.map((count) => Math.round(count * 10) / 10),
                },
              ]}
            />
          </div>
        </>
      )}
    </section>
  )
}
