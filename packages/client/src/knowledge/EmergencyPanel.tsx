import type { PlaybookActivation, PlaybooksReply as Playbooks } from '@kefu/shared'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../net/api'

const when = (at: number | null) => (at === null ? '—' : new Date(at).toLocaleString())

function routingSummary(routing: Playbooks['playbooks'][number]['routing']): string {
  const overflow =
    routing.overflowTo === undefined
      ? 'queues as usual'
      : `every queue overflows to ${routing.overflowTo} after ${Math.round((routing.overflowAfterMs ?? 0) / 1000)} s`
  return routing.priorityBoost > 0
    ? `${overflow}; questions about it move up by ${routing.priorityBoost}`
    : overflow
}

/**
 * The service's emergency switch: each playbook with what it will do, the one on (with a switch
 * to end it), and who switched what when. Switching on asks first: every customer sees it.
 */
export function EmergencyPanel({ token }: { token: string }) {
  const [playbooks, setPlaybooks] = useState<Playbooks>()
  const [problem, setProblem] = useState<string>()
  const reload = useCallback(
    () => api.playbooks(token).then(setPlaybooks, (failure: Error) => setProblem(failure.message)),
    [token],
  )
  useEffect(() => {
    void reload()
  }, [reload])
  const switchTo = async (id: string | undefined) => {
    setProblem(undefined)
    try {
      if (id) await api.activatePlaybook(token, id)
      else await api.deactivatePlaybook(token)
    } catch (error) {
      setProblem((error as Error).message)
    }
    await reload()
  }
  if (!playbooks) return <div className="panel">{problem ?? 'Reading the playbooks…'}</div>
  const active = playbooks.active
  return (
    <section className={`emergency ${active ? 'on' : ''}`} data-testid="emergency">
      <h3>Emergency playbooks</h3>
      {active ? (
        <div className="emergency-on" role="status">
          <strong>{active.playbook.title}</strong> is on since {when(active.activatedAt)} (by{' '}
          {active.activatedByName}); {active.boosted.length} conversations moved up.
          <button type="button" className="danger" onClick={() => void switchTo(undefined)}>
            Switch off and restore
          </button>
        </div>
      ) : (
        <p className="muted">The service runs normally.</p>
      )}
      {problem && <div className="error">{problem}</div>}
      <div className="playbooks">
        {playbooks.playbooks.map((playbook) => (
          <article key={playbook.id} className="playbook" data-testid={`playbook-${playbook.id}`}>
            <div className="playbook-title">
              <strong>{playbook.title}</strong>{' '}
              <span className={`status ${playbook.status}`}>{playbook.status}</span>
            </div>
            <div className="banner-preview">⚠ {playbook.banner.zh}</div>
            <div className="muted">{routingSummary(playbook.routing)}</div>
            <div className="muted">Auto-reply to: {playbook.match.join('、')}</div>
            {active?.playbook.id !== playbook.id && (
              <button
                type="button"
                disabled={active !== null || playbook.status === 'retired'}
                onClick={() =>
                  window.confirm(`Switch on “${playbook.title}” for every customer?`) &&
                  void switchTo(playbook.id)
                }
              >
                Switch on
              </button>
            )}
          </article>
        ))}
      </div>
      <ActivationLog activations={playbooks.activations} />
    </section>
  )
}

function ActivationLog({ activations }: { activations: readonly PlaybookActivation[] }) {
  if (activations.length === 0) return null
  return (
    <table className="activation-log">
      <thead>
        <tr>
          <th>Playbook</th>
          <th>On</th>
          <th>By</th>
          <th>Off</th>
          <th>By</th>
          <th>Moved up</th>
        </tr>
      </thead>
      <tbody>
        {activations.map((activation) => (
          <tr key={activation.id}>
            <td>{activation.playbook.title}</td>
            <td>{when(activation.activatedAt)}</td>
            <td>{activation.activatedByName}</td>
            <td>{when(activation.deactivatedAt)}</td>
            <td>{activation.deactivatedByName ?? '—'}</td>
            <td>{activation.boosted.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
