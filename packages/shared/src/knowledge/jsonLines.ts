import type { z } from 'zod'
import { type KnowledgeEntry, KnowledgeEntrySchema } from './entry'

/** Why a knowledge file was refused: the first bad line, and the field in it. */
export interface ImportProblem {
  line: number
  /** The field's path, e.g. `questions.2`; empty for the line as a whole. */
  field: string
  message: string
}

export type ImportResult = { ok: true; entries: KnowledgeEntry[] } | { ok: false; problems: ImportProblem[] }

/** At most this many problems are reported: enough to fix a file in one go, not a flood. */
const MAX_PROBLEMS = 20

function problemsOf(line: number, error: z.ZodError): ImportProblem[] {
  return error.issues.map((issue) => ({ line, field: issue.path.join('.'), message: issue.message }))
}

/**
 * Reads a knowledge base in JSON Lines, one entry per line (blank lines allowed). Every line is
 * checked before anything is returned, so a caller stores all of it or none: a malformed file is
 * refused with each bad line's number and field, and ids used twice are refused too.
 */
export function parseKnowledgeJsonLines(text: string): ImportResult {
  const entries: KnowledgeEntry[] = []
  const problems: ImportProblem[] = []
  const seen = new Map<string, number>()
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '' || problems.length >= MAX_PROBLEMS) return
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      problems.push({ line, field: '', message: 'not JSON' })
      return
    }
    const tier = (json as { tier?: unknown } | null)?.tier
    if (tier !== 'faq' && tier !== 'flow' && tier !== 'playbook') {
      problems.push({ line, field: 'tier', message: 'unknown tier: faq, flow or playbook' })
      return
    }
    const parsed = KnowledgeEntrySchema.safeParse(json)
    if (!parsed.success) {
      problems.push(...problemsOf(line, parsed.error))
      return
    }
    const earlier = seen.get(parsed.data.id)
    if (earlier !== undefined) {
      problems.push({ line, field: 'id', message: `${parsed.data.id} is already on line ${earlier}` })
      return
    }
    seen.set(parsed.data.id, line)
    entries.push(parsed.data)
  })
  return problems.length > 0
    ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) }
    : { ok: true, entries }
}

/** The knowledge base as JSON Lines, one entry per line, FAQ keys in the documented order. */
export function knowledgeToJsonLines(entries: readonly KnowledgeEntry[]): string {
  return entries
    .map((entry) => {
      if (entry.tier !== 'faq') return JSON.stringify(entry)
      const { id, tier, questions, answer, tags, lang, validFrom, validUntil } = entry
      return JSON.stringify({ id, tier, questions, answer, tags, lang, validFrom, validUntil })
    })
    .join('\n')
}
