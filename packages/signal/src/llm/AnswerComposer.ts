import type { Hit, KnowledgeLang, Logger } from '@kefu/shared'
import { z } from 'zod'

/** An answer written from knowledge-base entries, and which of them it rests on. */
export interface ComposedAnswer {
  text: string
  /** Ids of the entries the answer cites, in the order cited. */
  citations: string[]
}

/**
 * Writes the assistant's answer from the top entries. `undefined` when it cannot (no model, a
 * failure, a timeout): the assistant then gives the best entry's answer as written. `null` when
 * the model says no entry answers the question: a hand-off, as for low confidence.
 */
export interface AnswerComposer {
  compose(
    question: string,
    hits: readonly Hit[],
    lang: KnowledgeLang,
  ): Promise<ComposedAnswer | null | undefined>
}

/** The one knowledge base answer, as written: what the assistant gives without a model. */
export const NO_COMPOSER: AnswerComposer = { compose: async () => undefined }

/** The model's word for "none of these answers it". */
const NO_ANSWER = 'NO_ANSWER'

const ChatCompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
})

const INSTRUCTIONS: Record<KnowledgeLang, string> = {
  zh: `你是电商客服的智能助手。只根据下面编号的知识库条目回答客户的问题，用简体中文，口语、简短（不超过120字）。在用到的句子后标注来源编号，如 [1]。不要编造条目里没有的政策、金额或时间。如果没有条目能回答，只回复 ${NO_ANSWER}。`,
  en: `You are the customer-service assistant of an online shop. Answer the customer's question only from the numbered knowledge-base entries below, in English, briefly (at most 80 words). Mark each sentence with the entry it rests on, like [1]. Never invent a policy, amount or time the entries do not state. If no entry answers it, reply only ${NO_ANSWER}.`,
}

/**
 * An OpenAI-compatible chat-completions endpoint (`LLM_BASE_URL`, e.g. a local vLLM or Ollama, or a
 * hosted model): the question and the top entries in, an answer with `[n]` citations out. Entries
 * are the only source the model is given, and an answer citing none of them is not used.
 */
export class OpenAiCompatibleComposer implements AnswerComposer {
  constructor(
    private readonly options: {
      baseUrl: string
      apiKey: string | undefined
      model: string
      timeoutMs: number
    },
    private readonly logger: Logger,
  ) {}

  async compose(
    question: string,
    hits: readonly Hit[],
    lang: KnowledgeLang,
  ): Promise<ComposedAnswer | null | undefined> {
    const entries = hits.filter((hit) => hit.entry.tier === 'faq')
    if (entries.length === 0) return undefined
    const numbered = entries.map(
      (hit, index) => `[${index + 1}] ${hit.entry.questions[0] ?? ''}\n${hit.entry.answer}`,
    )
    try {
      const response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.options.model,
          temperature: 0.2,
          messages: [
            { role: 'system', content: `${INSTRUCTIONS[lang]}\n\n${numbered.join('\n\n')}` },
            { role: 'user', content: question },
          ],
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
      if (!response.ok) throw new Error(`answered ${response.status}`)
      const text = ChatCompletionSchema.parse(await response.json()).choices[0]?.message.content?.trim() ?? ''
      if (text.includes(NO_ANSWER)) return null
      const citations = citedIn(text, entries.length).map((number) => entries[number - 1]?.entry.id ?? '')
      // An answer that rests on no entry is the model's own: not what the knowledge base says.
      if (citations.length === 0) return undefined
      return { text, citations }
    } catch (error) {
      this.logger.warn({ err: error }, 'the language model did not answer; the entry is given as written')
      return undefined
    }
  }
}

/** The entry numbers `[n]` cited in `text`, each once, in order, within 1..count. */
function citedIn(text: string, count: number): number[] {
  const cited: number[] = []
  for (const match of text.matchAll(/\[(\d{1,2})\]/g)) {
    const number = Number(match[1])
    if (number >= 1 && number <= count && !cited.includes(number)) cited.push(number)
  }
  return cited
}
