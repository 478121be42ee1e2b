import { stemmer } from 'stemmer'

/** Splits text into the terms an index matches on. */
export type Tokenizer = (text: string) => string[]

/** Splits one run of Chinese characters into terms. */
export type ChineseSegmenter = (run: string) => string[]

const CJK_RUN = /[\u3400-\u9fff]+/g
const LATIN_WORD = /[a-z0-9]+(?:'[a-z]+)?/g
/**
 * Customers on phones drop the apostrophe: "wheres", "havent". Read as the word before it ("wheres"
 * is "where", a stop word), so the contraction is not a rare word no entry has ("cant" is a stop
 * word of its own).
 */
const CONTRACTION =
  /^(where|what|how|who|it|that|there|have|has|had|do|does|did|is|are|was|were|could|would|should)(s|nt)$/
/** English words too common to tell questions apart. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an the is are was were be been do does did i im me my we our you your it its to of in on at for and or can cant could would should will how what when where why which who with this that there please want just any some'.split(
    ' ',
  ),
)

/** Overlapping character bigrams of a run, and the character of a one-character run. */
export const characterBigrams: ChineseSegmenter = (run) => {
  if (run.length === 1) return [run]
  const terms: string[] = []
  for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2))
  return terms
}

/**
 * Mixed Chinese and English: each Chinese run goes to `segment`, English words are lower-cased,
 * stop words dropped and stemmed (Porter), so "refunds" meets "refund" and "退款" its own kind.
 */
export function mixedTokenizer(segment: ChineseSegmenter): Tokenizer {
  return (text) => {
    const lower = text.toLowerCase().normalize('NFKC')
    const terms: string[] = []
    for (const run of lower.match(CJK_RUN) ?? []) terms.push(...segment(run))
    for (const word of lower.replace(CJK_RUN, ' ').match(LATIN_WORD) ?? []) {
      const plain = word.replace(/'[a-z]+$/, '').replace(CONTRACTION, '$1')
      if (!STOP_WORDS.has(plain)) terms.push(stemmer(plain))
    }
    return terms
  }
}

/**
 * Without a dictionary: Chinese as character bigrams. A segmenter with a product dictionary
 * (jieba, on the server) does better; this one works anywhere (browsers, tests).
 */
export const bigramTokenizer: Tokenizer = mixedTokenizer(characterBigrams)
