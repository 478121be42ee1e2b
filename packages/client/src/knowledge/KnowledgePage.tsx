import {
  type EntryReview,
  type KnowledgeAskReplySchema,
  type KnowledgeEntry,
  KnowledgeEntrySchema,
  KnowledgeImportRefusalSchema,
  type KnowledgeListReply,
  type KnowledgeReview,
  type KnowledgeStatus,
  type KnowledgeTier,
} from '@kefu/shared'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { z } from 'zod'
import { ApiError, api } from '../net/api'
import { EmergencyPanel } from './EmergencyPanel'
import '../dashboard/dashboard.css'
import './knowledge.css'

type Hits = z.infer<typeof KnowledgeAskReplySchema>
type Row = KnowledgeListReply['records'][number] & { review: EntryReview | undefined }

const FLAG_NAMES: Record<EntryReview['flags'][number], string> = {
  expired: 'past valid-until',
  never_hit: 'never hit',
  unhelpful: 'voted unhelpful',
  not_yet_valid: 'not valid yet',
}
/** The one change a row offers: a draft is published, an active entry retired, a retired one restored. */
const NEXT_STATUS: Record<KnowledgeStatus, { status: KnowledgeStatus; action: string }> = {
  draft: { status: 'active', action: 'Publish' },
  active: { status: 'retired', action: 'Retire' },
  retired: { status: 'active', action: 'Restore' },
}
const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? '—' : `${Math.round(share * 100)} %`

/** How an entry reads in a list: a FAQ's first question, a flow's or a playbook's title. */
function headlineOf(entry: KnowledgeEntry): string {
  return entry.tier === 'faq' ? (entry.questions[0] ?? entry.id) : entry.title
}

/**
 * The knowledge base as a supervisor keeps it: the emergency switch, "ask the KB" with the scores
 * the assistant would see, every entry with how it served (hits, help votes, hand-offs, stale
 * flags) to edit, retire or bring back, a new entry, the quarterly review with its proposed
 * retirements, and import and export in JSON Lines or Markdown.
 */
export function KnowledgePage({ token }: { token: string }) {
  const [list, setList] = useState<KnowledgeListReply>()
  const [review, setReview] = useState<KnowledgeReview>()
  const [editing, setEditing] = useState<KnowledgeEntry | 'new'>()
  const [problem, setProblem] = useState<string>()
  const reload = useCallback(async () => {
    try {
      const [entries, quarter] = await Promise.all([api.knowledge(token), api.knowledgeReview(token)])
      setList(entries)
      setReview(quarter)
    } catch (error) {
      setProblem((error as Error).message)
    }
  }, [token])
  useEffect(() => {
    void reload()
  }, [reload])

  const rows = useMemo<Row[]>(() => {
    const reviews = new Map(review?.entries.map((entry) => [entry.id, entry]))
    return (list?.records ?? []).map((record) => ({ ...record, review: reviews.get(record.entry.id) }))
  }, [list, review])

  const setStatus = async (id: string, status: KnowledgeStatus) => {
    try {
      await api.setKnowledgeStatus(token, id, status)
      await reload()
    } catch (error) {
      setProblem((error as Error).message)
    }
  }

  return (
    <section className="knowledge dashboard" data-testid="knowledge">
      <div className="dashboard-bar">
        <h2>Knowledge base</h2>
        <span className="muted">
          {rows.filter((row) => row.status === 'active').length} active of {rows.length} entries
        </span>
        <button type="button" onClick={() => setEditing('new')}>
          New FAQ entry
        </button>
        <button type="button" onClick={() => void exportKnowledge(token)}>
          Export JSON Lines
        </button>
      </div>
      {problem && <div className="error">{problem}</div>}
      <EmergencyPanel token={token} />
      <div className="knowledge-columns">
        <AskBox token={token} />
        <ImportBox token={token} onImported={reload} />
      </div>
      {editing && (
        <EntryEditor
          token={token}
          entry={editing === 'new' ? undefined : editing}
          onDone={async () => {
            setEditing(undefined)
            await reload()
          }}
        />
      )}
      {review && <QuarterlyReview review={review} rows={rows} onRetire={(id) => setStatus(id, 'retired')} />}
      <EntryTable rows={rows} onEdit={setEditing} onStatus={setStatus} />
    </section>
  )
}

async function exportKnowledge(token: string): Promise<void> {
  const response = await fetch('/api/knowledge/export', { headers: { authorization: `Bearer ${token}` } })
  const link = document.createElement('a')
  link.href = URL.createObjectURL(await response.blob())
  link.download = 'knowledge.jsonl'
  link.click()
  URL.revokeObjectURL(link.href)
}

function AskBox({ token }: { token: string }) {
  const [question, setQuestion] = useState('')
  const [hits, setHits] = useState<Hits>()
  const ask = async () => {
    if (question.trim()) setHits(await api.askKnowledge(token, question.trim(), 5))
  }
  return (
    <div className="card ask-box">
      <h3>Ask the knowledge base</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void ask()
        }}
      >
        <input
          aria-label="Question"
          placeholder="像客户那样问：退款多久到账 / where is my parcel"
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
        />
        <button type="submit">Ask</button>
      </form>
      {hits && (
        <ol className="hits" data-testid="ask-hits">
          {hits.hits.length === 0 && (
            <li className="muted">Nothing matches: the assistant would hand off.</li>
          )}
          {hits.hits.map((hit) => (
            <li key={hit.id} className={hit.confidence >= hits.minConfidence ? 'answers' : ''}>
              <div className="hit-head">
                <code>{hit.id}</code> <span className="muted">{hit.tier}</span>
                <span className="score">
                  score {hit.score.toFixed(2)}
                  {hit.similarity !== undefined && ` · meaning ${hit.similarity.toFixed(2)}`}
                </span>
              </div>
              <div className="confidence" title={`The assistant answers from ${percent(hits.minConfidence)}`}>
                <div className="bar" style={{ width: `${Math.round(hit.confidence * 100)}%` }} />
                <div className="threshold" style={{ left: `${Math.round(hits.minConfidence * 100)}%` }} />
                <span>{percent(hit.confidence)}</span>
              </div>
              <div className="hit-answer">{hit.answer}</div>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

type Problems = z.infer<typeof KnowledgeImportRefusalSchema>['problems']

function ImportBox({ token, onImported }: { token: string; onImported(): Promise<void> }) {
  const [format, setFormat] = useState<'jsonl' | 'markdown'>('jsonl')
  const [text, setText] = useState('')
  const [outcome, setOutcome] = useState<{ imported?: number; problems?: Problems; message?: string }>()
  const submit = async () => {
    try {
      const { imported } = await api.importKnowledge(token, format, text)
      setOutcome({ imported })
      setText('')
      await onImported()
    } catch (error) {
      const refusal =
        error instanceof ApiError ? KnowledgeImportRefusalSchema.safeParse(error.reply) : undefined
      setOutcome(
        refusal?.success
          ? { problems: refusal.data.problems, message: refusal.data.message }
          : { message: (error as Error).message },
      )
    }
  }
  return (
    <div className="card import-box">
      <h3>Import</h3>
      <div className="import-controls">
        <select
          aria-label="Format"
          value={format}
          onChange={(event) => setFormat(event.target.value as 'jsonl')}
        >
          <option value="jsonl">JSON Lines</option>
          <option value="markdown">Markdown FAQ</option>
        </select>
        <input
          type="file"
          aria-label="Knowledge file"
          accept=".jsonl,.ndjson,.md,.txt"
          onChange={async (event) => {
            const file = event.target.files?.[0]
            if (!file) return
            setText(await file.text())
            if (file.name.endsWith('.md')) setFormat('markdown')
          }}
        />
      </div>
      <textarea
        aria-label="Entries to import"
        rows={5}
        placeholder='{"id":"…","tier":"faq","questions":["…"],"answer":"…","tags":[],"lang":"zh"}'
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="button" disabled={!text.trim()} onClick={() => void submit()}>
        Check and import
      </button>
      {outcome?.imported !== undefined && <div className="ok">{outcome.imported} entries imported.</div>}
      {outcome?.message && outcome.imported === undefined && (
        <div className="error" data-testid="import-refused">
          {outcome.message}
          {outcome.problems && (
            <ul>
              {outcome.problems.map((found) => (
                <li key={`${found.line}-${found.field}`}>
                  line {found.line}
                  {found.field ? `, ${found.field}` : ''}: {found.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}

/**
 * A FAQ entry as fields (questions one per line); a flow or a playbook, whose shape is richer, as
 * its JSON Lines record. Either is checked with the same schema the server uses before it is sent.
 */
function EntryEditor({
  token,
  entry,
  onDone,
}: {
  token: string
  entry: KnowledgeEntry | undefined
  onDone(): Promise<void>
}) {
  const faq = !entry || entry.tier === 'faq' ? entry : undefined
  const [id, setId] = useState(entry?.id ?? '')
  const [lang, setLang] = useState<'zh' | 'en'>(entry?.lang ?? 'zh')
  const [questions, setQuestions] = useState(faq?.questions.join('\n') ?? '')
  const [answer, setAnswer] = useState(faq?.answer ?? '')
  const [tags, setTags] = useState(faq?.tags.join(', ') ?? '')
  const [validFrom, setValidFrom] = useState(faq?.validFrom ?? '')
  const [validUntil, setValidUntil] = useState(faq?.validUntil ?? '')
  const [json, setJson] = useState(entry && entry.tier !== 'faq' ? JSON.stringify(entry, null, 2) : '')
  const [problem, setProblem] = useState<string>()
  const isFaq = !entry || entry.tier === 'faq'

  const save = async (status?: KnowledgeStatus) => {
    const candidate = isFaq
      ? {
          id: id.trim(),
          tier: 'faq',
          lang,
          questions: questions
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
          answer,
          tags: tags
            .split(/[,，]/)
            .map((tag) => tag.trim())
            .filter(Boolean),
          ...(validFrom ? { validFrom } : {}),
          ...(validUntil ? { validUntil } : {}),
        }
      : safeJson(json)
    const parsed = KnowledgeEntrySchema.safeParse(candidate)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      setProblem(`${issue?.path.join('.') || 'entry'}: ${issue?.message}`)
      return
    }
    try {
      await api.saveKnowledge(token, parsed.data, status)
      await onDone()
    } catch (error) {
      setProblem((error as Error).message)
    }
  }

  return (
    <div className="card entry-editor" data-testid="entry-editor">
      <h3>{entry ? `Edit ${entry.id}` : 'New FAQ entry'}</h3>
      {isFaq ? (
        <div className="editor-grid">
          <label>
            Id{' '}
            <input
              value={id}
              disabled={entry !== undefined}
              onChange={(event) => setId(event.target.value)}
            />
          </label>
          <label>
            Language{' '}
            <select value={lang} onChange={(event) => setLang(event.target.value as 'zh' | 'en')}>
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          <label className="wide">
            Questions, one per line (the ways customers ask it)
            <textarea rows={4} value={questions} onChange={(event) => setQuestions(event.target.value)} />
          </label>
          <label className="wide">
            Answer
            <textarea rows={4} value={answer} onChange={(event) => setAnswer(event.target.value)} />
          </label>
          <label>
            Tags <input value={tags} onChange={(event) => setTags(event.target.value)} />
          </label>
          <label>
            Valid from{' '}
            <input type="date" value={validFrom} onChange={(event) => setValidFrom(event.target.value)} />
          </label>
          <label>
            Valid until{' '}
            <input type="date" value={validUntil} onChange={(event) => setValidUntil(event.target.value)} />
          </label>
        </div>
      ) : (
        <textarea
          className="json"
          rows={14}
          aria-label="Entry as JSON"
          value={json}
          onChange={(event) => setJson(event.target.value)}
        />
      )}
      {problem && <div className="error">{problem}</div>}
      <div className="editor-actions">
        <button type="button" onClick={() => void save(entry ? undefined : 'active')}>
          {entry ? 'Save' : 'Save and publish'}
        </button>
        {!entry && (
          <button type="button" className="quiet" onClick={() => void save('draft')}>
            Save as draft
          </button>
        )}
        <button type="button" className="quiet" onClick={() => void onDone()}>
          Cancel
        </button>
      </div>
    </div>
  )
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function QuarterlyReview({
  review,
  rows,
  onRetire,
}: {
  review: KnowledgeReview
  rows: readonly Row[]
  onRetire(id: string): Promise<void>
}) {
  const byId = new Map(rows.map((row) => [row.entry.id, row]))
  const flagged = review.entries.filter((entry) => entry.flags.length > 0).length
  const share = review.active ? review.proposedRetirement.length / review.active : 0
  return (
    <div className="card quarterly" data-testid="quarterly-review">
      <h3>Quarterly review ({review.day})</h3>
      <div className="review-figures">
        <span>
          <strong>{review.active}</strong> active
        </span>
        <span>
          <strong>{flagged}</strong> flagged stale
        </span>
        <span>
          <strong>{review.proposedRetirement.length}</strong> proposed for retirement ({percent(share)}; the
          aim is 15 %)
        </span>
      </div>
      <div className="share-bar" title="Proposed retirement of the active entries">
        <div style={{ width: `${Math.round(share * 100)}%` }} />
        <div className="aim" style={{ left: '15%' }} />
      </div>
      {review.proposedRetirement.length > 0 && (
        <ul className="retirements">
          {review.proposedRetirement.map((id) => {
            const row = byId.get(id)
            return (
              <li key={id}>
                <code>{id}</code> {row ? headlineOf(row.entry) : ''}{' '}
                <span className="muted">{row?.review?.flags.map((flag) => FLAG_NAMES[flag]).join(', ')}</span>
                <button type="button" className="quiet" onClick={() => void onRetire(id)}>
                  Retire
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}

function EntryTable({
  rows,
  onEdit,
  onStatus,
}: {
  rows: readonly Row[]
  onEdit(entry: KnowledgeEntry): void
  onStatus(id: string, status: KnowledgeStatus): Promise<void>
}) {
  const [tier, setTier] = useState<KnowledgeTier | 'all'>('all')
  const [status, setStatus] = useState<KnowledgeStatus | 'all'>('all')
  const [search, setSearch] = useState('')
  const mostHits = Math.max(1, ...rows.map((row) => row.review?.hits ?? 0))
  const shown = rows.filter(
    (row) =>
      (tier === 'all' || row.entry.tier === tier) &&
      (status === 'all' || row.status === status) &&
      `${row.entry.id} ${headlineOf(row.entry)}`.toLowerCase().includes(search.trim().toLowerCase()),
  )
  return (
    <div className="card entries">
      <div className="entries-bar">
        <h3>Entries</h3>
        <select
          aria-label="Tier"
          value={tier}
          onChange={(event) => setTier(event.target.value as KnowledgeTier)}
        >
          <option value="all">All tiers</option>
          <option value="faq">FAQ</option>
          <option value="flow">Scenario flows</option>
          <option value="playbook">Emergency playbooks</option>
        </select>
        <select
          aria-label="Status"
          value={status}
          onChange={(event) => setStatus(event.target.value as KnowledgeStatus)}
        >
          <option value="all">Any status</option>
          <option value="active">Active</option>
          <option value="draft">Draft</option>
          <option value="retired">Retired</option>
        </select>
        <input
          aria-label="Search entries"
          placeholder="Search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <span className="muted">{shown.length} shown</span>
      </div>
      <table data-testid="entry-table">
        <thead>
          <tr>
            <th>Entry</th>
            <th>Tier</th>
            <th>Status</th>
            <th>Hits</th>
            <th>Helped</th>
            <th>Hand-offs</th>
            <th>Flags</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row.entry.id} className={row.status}>
              <td>
                <code>{row.entry.id}</code>
                <div>{headlineOf(row.entry)}</div>
              </td>
              <td>{row.entry.tier}</td>
              <td>
                <span className={`status ${row.status}`}>{row.status}</span>
              </td>
              <td>
                <div className="hits-bar" title={String(row.review?.hits ?? 0)}>
                  <div style={{ width: `${Math.round(((row.review?.hits ?? 0) / mostHits) * 100)}%` }} />
                </div>
                {row.review?.hits ?? 0}
              </td>
              <td>{percent(row.review?.helpRate)}</td>
              <td>{percent(row.review?.handoffRate)}</td>
              <td className="flags">{row.review?.flags.map((flag) => FLAG_NAMES[flag]).join(', ')}</td>
              <td className="row-actions">
                <button type="button" className="quiet" onClick={() => onEdit(row.entry)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="quiet"
                  onClick={() => void onStatus(row.entry.id, NEXT_STATUS[row.status].status)}
                >
                  {NEXT_STATUS[row.status].action}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
