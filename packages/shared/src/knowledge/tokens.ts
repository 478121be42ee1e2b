import { stemmer } from 'stemmer'

/** Splits text into the terms an index matches on. */
export type Tokenizer = (text: string) => string[]

const CJK_RUN = /[\u3400-\u9fff]+/g
const LATIN_WORD = /[a-z0-9]+(?:'[a-z]+)?/g
/** English words too common to tell questions apart. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an the is are was were be been do does did i me my we our you your it its to of in on at for and or can could would should will how what when where why which with this that there please'.split(
    ' ',
  ),
)

/**
 * Mixed Chinese and English without a dictionary: Chinese runs become overlapping character
 * bigrams (and the single character of a one-character run), English words are lower-cased,
 * stop words dropped and stemmed (Porter). A segmenter with a product dictionary (jieba, on the
 * server) does better for Chinese; this one works anywhere, and is what tests compare against.
 */
export const bigramTokenizer: Tokenizer = (text) => {
  const lower = text.toLowerCase().normalize('NFKC')
  const terms: string[] = []
  for (const run of lower.match(CJK_RUN) ?? []) {
    if (run.length === 1) terms.push(run)
    for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2))
  }
  for (const word of lower.replace(CJK_RUN, ' ').match(LATIN_WORD) ?? []) {
    const plain = word.replace(/'[a-z]+$/, '')
    if (!STOP_WORDS.has(plain)) terms.push(stemmer(plain))
  }
  return terms
}
