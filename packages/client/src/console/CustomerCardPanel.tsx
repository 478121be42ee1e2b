import type { CustomerCard, HandoverNote } from '@kefu/shared'
import { isolated } from '../core/i18n'

const day = (at: number) =>
  new Date(at).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' })

/** Beside the conversation: who the customer is (their verified profile), and what the last agent said. */
export function CustomerCardPanel({
  card,
  notes,
  onOpen,
}: {
  card: CustomerCard | undefined
  notes: readonly HandoverNote[]
  onOpen(conversationId: string): void
}) {
  if (!card) return <aside className="customer-card" aria-label="Customer" />
  return (
    <aside className="customer-card" aria-label="Customer" data-testid="customer-card">
      <h3>{isolated(card.displayName)}</h3>
      <dl>
        <dt>VIP level</dt>
        <dd data-testid="vip-level">
          {card.vipLevel > 0 ? `VIP ${card.vipLevel}` : card.isGuest ? 'Guest' : 'Member'}
        </dd>
        <dt>Last purchase</dt>
        <dd>{card.lastPurchaseAt ? day(card.lastPurchaseAt) : '—'}</dd>
        <dt>Platform</dt>
        <dd>{card.platform}</dd>
        <dt>Devices online</dt>
        <dd data-testid="devices-online">{card.devicesOnline}</dd>
      </dl>
      {notes.length > 0 && (
        <section className="handover" data-testid="handover-notes">
          <h4>Handover notes</h4>
          {notes.map((note) => (
            <blockquote key={`${note.at}|${note.authorId}`}>
              {note.note}
              <cite>
                {isolated(note.authorName)}, {new Date(note.at).toLocaleTimeString()}
              </cite>
            </blockquote>
          ))}
        </section>
      )}
      <section>
        <h4>Earlier conversations ({card.earlier.length})</h4>
        <ul className="earlier">
          {card.earlier.map((earlier) => (
            <li key={earlier.id}>
              <button type="button" className="quiet" onClick={() => onOpen(earlier.id)}>
                {day(earlier.createdAt)} · {earlier.channel} · {earlier.state}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  )
}
