import { type ImportProblem, type ImportResult, parseKnowledgeJsonLines } from './jsonLines'

const CJK = /[\u3400-\u9fff]/

/**
 * FAQ written as Markdown, as support teams keep them in wikis:
 *
 *     ## 退款多久到账？
 *     - 退款要多久
 *     - how long does a refund take
 *     tags: refund, payment
 *     id: refund-time
 *
 *     审核通过后 1-3 个工作日原路退回。
 *
 * Each `##` heading is a question and starts an entry; `-` lines right after it are more ways to
 * ask it; `tags:`, `id:`, `lang:`, `valid-from:`, `valid-until:` lines set those fields; everything
 * else up to the next heading is the answer. Without `lang:` an entry with Chinese characters is
 * `zh`, else `en`; without `id:` one is made from the file's name and the entry's number. The
 * entries are then checked as JSON Lines are, with line numbers of the Markdown.
 */
export function parseFaqMarkdown(markdown: string, name = 'faq'): ImportResult {
  const drafts: { line: number; entry: Record<string, unknown> }[] = []
  let current:
    | { line: number; questions: string[]; answer: string[]; fields: Record<string, string> }
    | undefined
  const close = () => {
    if (!current) return
    const { questions, answer, fields } = current
    const answerText = answer.join('\n').trim()
    drafts.push({
      line: current.line,
      entry: {
        id: fields.id ?? `${name}-${drafts.length + 1}`,
        tier: 'faq',
        questions,
        answer: answerText,
        tags: fields.tags
          ? fields.tags
              .split(/[,，]/)
              .map((tag) => tag.trim())
              .filter(Boolean)
          : [],
        lang: fields.lang ?? (CJK.test(questions.join('') + answerText) ? 'zh' : 'en'),
        ...(fields['valid-from'] ? { validFrom: fields['valid-from'] } : {}),
        ...(fields['valid-until'] ? { validUntil: fields['valid-until'] } : {}),
      },
    })
  }
  markdown.split(/\r?\n/).forEach((raw, index) => {
    const heading = /^##\s+(.+)$/.exec(raw)
    if (heading) {
      close()
      current = { line: index + 1, questions: [heading[1]?.trim() ?? ''], answer: [], fields: {} }
      return
    }
    if (!current) return
    const variant = /^\s*[-*]\s+(.+)$/.exec(raw)
    if (variant && current.answer.join('').trim() === '') {
      current.questions.push(variant[1]?.trim() ?? '')
      return
    }
    const field = /^(tags|id|lang|valid-from|valid-until)\s*[:：]\s*(.*)$/i.exec(raw)
    if (field && current.answer.join('').trim() === '') {
      current.fields[(field[1] ?? '').toLowerCase()] = (field[2] ?? '').trim()
      return
    }
    current.answer.push(raw)
  })
  close()
  // One check for both formats: each draft as a JSON line, its problems renumbered to the Markdown.
  const checked = parseKnowledgeJsonLines(drafts.map((draft) => JSON.stringify(draft.entry)).join('\n'))
  if (checked.ok) return checked
  const problems: ImportProblem[] = checked.problems.map((problem) => ({
    ...problem,
    line: drafts[problem.line - 1]?.line ?? problem.line,
  }))
  return { ok: false, problems }
}
