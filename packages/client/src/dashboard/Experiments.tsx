import type { ExperimentsReply } from '@kefu/shared'
import { useEffect, useState } from 'react'
import { api } from '../net/api'
import { formatDuration } from './figures'

type Result = ExperimentsReply['experiments'][number]
type Comparison = Result['frt']
type Estimate = NonNullable<Comparison['a']>

/** How often the comparison is read again: it recomputes from the log, and changes slowly. */
const REFRESH_MS = 30_000

const VERDICTS: Record<Comparison['verdict'], string> = {
  too_small: 'Sample still too small',
  significant: 'Significant difference',
  not_significant: 'No significant difference',
}

/** Each running experiment's variants side by side: FRT, CSAT and FCR with 95 % intervals. */
export function Experiments({ token }: { token: string }) {
  const [reply, setReply] = useState<ExperimentsReply>()
  useEffect(() => {
    let current = true
    const read = () =>
      api.experiments(token).then(
        (answer) => current && setReply(answer),
        () => undefined,
      )
    void read()
    const timer = window.setInterval(read, REFRESH_MS)
    return () => {
      current = false
      window.clearInterval(timer)
    }
  }, [token])
  if (!reply || reply.experiments.length === 0) return null
  return (
    <div className="experiments" data-testid="experiments">
      {reply.experiments.map((experiment) => (
        <div key={experiment.id} className="chart-card">
          <h3>
            Experiment: {experiment.name} <span className="base">(last 28 days)</span>
          </h3>
          <table className="agents">
            <thead>
              <tr>
                <th />
                {experiment.variants.map((variant) => (
                  <th key={variant.id}>
                    Variant {variant.id} · {variant.conversations} conversations
                  </th>
                ))}
                <th>B − A</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <Row label="First response" comparison={experiment.frt} format={formatDuration} />
              <Row label="CSAT" comparison={experiment.csat} format={percent} />
              <Row label="First-contact resolution" comparison={experiment.fcr} format={percent} />
            </tbody>
          </table>
        </div>
      ))}
    </div>
  )
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`

function Row({
  label,
  comparison,
  format,
}: {
  label: string
  comparison: Comparison
  format(value: number): string
}) {
  const cell = (estimate: Estimate | undefined, signed = false) =>
    estimate ? (
      <>
        {signed && estimate.value > 0 ? '+' : ''}
        {format(estimate.value)}{' '}
        <span className="base">
          [{format(estimate.low)}, {format(estimate.high)}]
        </span>
      </>
    ) : (
      '—'
    )
  return (
    <tr data-testid={`experiment-${label}`}>
      <td>{label}</td>
      <td>{cell(comparison.a)}</td>
      <td>{cell(comparison.b)}</td>
      <td>{cell(comparison.difference, true)}</td>
      <td>
        <span className={`verdict ${comparison.verdict}`}>{VERDICTS[comparison.verdict]}</span>
        {comparison.p !== undefined && <span className="base"> p = {comparison.p.toFixed(3)}</span>}
      </td>
    </tr>
  )
}
