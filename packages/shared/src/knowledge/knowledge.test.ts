import { describe, expect, it } from 'vitest'
import { validDays } from './entry'
import { knowledgeToJsonLines, parseKnowledgeJsonLines } from './jsonLines'
import { parseFaqMarkdown } from './markdown'

const faq = (id: string, extra: object = {}) =>
  JSON.stringify({
    id,
    tier: 'faq',
    questions: ['退款多久到账', 'how long does a refund take'],
    answer: '审核通过后 1-3 个工作日原路退回。',
    tags: ['refund'],
    lang: 'zh',
    ...extra,
  })

describe('importing the knowledge base as JSON Lines', () => {
  it('reads one entry a line, blank lines allowed, and writes the same back', () => {
    const file = [
      faq('refund-time'),
      '',
      faq('refund-card', { validFrom: '2026-11-01', validUntil: '2026-12-31' }),
    ].join('\n')
    const result = parseKnowledgeJsonLines(file)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.entries.map((entry) => entry.id)).toEqual(['refund-time', 'refund-card'])
    const [, withDays] = result.entries
    expect(withDays && validDays(withDays).validUntil).toBe('2026-12-31')
    const again = parseKnowledgeJsonLines(knowledgeToJsonLines(result.entries))
    expect(again).toEqual(result)
  })

  it('refuses a malformed file whole, naming each bad line and field', () => {
    const file = [
      faq('ok-1'),
      '{"id": "broken"',
      faq('no-answer', { answer: '   ' }),
      faq('empty-variant', { questions: ['好的问题', ''] }),
      faq('typo', { anwser: 'x' }),
      faq('ok-1'),
      faq('dates', { validFrom: '2026-12-31', validUntil: '2026-01-01' }),
      JSON.stringify({ id: 'f1', tier: 'chat' }),
    ].join('\n')
    const result = parseKnowledgeJsonLines(file)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map(({ line, field }) => [line, field])).toEqual([
      [2, ''],
      [3, 'answer'],
      [4, 'questions.1'],
      [5, ''],
      [6, 'id'],
      [7, 'validUntil'],
      [8, 'tier'],
    ])
    expect(result.problems[0]?.message).toBe('not JSON')
    expect(result.problems[3]?.message).toContain('anwser')
    expect(result.problems[4]?.message).toBe('ok-1 is already on line 1')
    expect(result.problems[6]?.message).toBe('unknown tier: faq, flow or playbook')
    // Nothing is offered to store: the caller gets problems, not a part of the entries.
    expect('entries' in result).toBe(false)
  })
})

describe('importing FAQ written as Markdown', () => {
  it('makes an entry of each heading, its variants, fields and answer, with the language guessed', () => {
    const markdown = [
      '# 售后常见问题',
      '',
      '## 退款多久到账？',
      '- 退款要多久',
      '- how long does a refund take',
      'tags: refund, 支付',
      'id: refund-time',
      '',
      '审核通过后 1-3 个工作日原路退回。',
      '信用卡退款以银行入账为准。',
      '',
      '## Can I change my delivery address?',
      'Yes, until the parcel leaves the warehouse: open the order and tap **Change address**.',
    ].join('\n')
    const result = parseFaqMarkdown(markdown, 'after-sales')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.entries).toEqual([
      {
        id: 'refund-time',
        tier: 'faq',
        questions: ['退款多久到账？', '退款要多久', 'how long does a refund take'],
        answer: '审核通过后 1-3 个工作日原路退回。\n信用卡退款以银行入账为准。',
        tags: ['refund', '支付'],
        lang: 'zh',
      },
      {
        id: 'after-sales-2',
        tier: 'faq',
        questions: ['Can I change my delivery address?'],
        answer: 'Yes, until the parcel leaves the warehouse: open the order and tap **Change address**.',
        tags: [],
        lang: 'en',
      },
    ])
  })

  it('names the Markdown line of an entry that is refused', () => {
    const result = parseFaqMarkdown(['## 有答案的问题', '答案。', '', '## 没有答案的问题', ''].join('\n'))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual([expect.objectContaining({ line: 4, field: 'answer' })])
  })
})
