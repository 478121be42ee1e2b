/** What a message says about how its writer feels. */
export const EMOTIONS = ['anger', 'anxiety', 'sadness', 'satisfaction', 'neutral'] as const
export type Emotion = (typeof EMOTIONS)[number]

export interface EmotionReading {
  emotion: Emotion
  /** 0-1: how strongly (neutral is 0). */
  intensity: number
  /** Each emotion's evidence, for the console's trend and for tuning. */
  scores: Record<Exclude<Emotion, 'neutral'>, number>
}

type Felt = Exclude<Emotion, 'neutral'>
/** Cue -> the emotion it shows and how much. Phrases are matched as written, lower-cased. */
const LEXICON: readonly [string, Felt, number][] = [
  // Chinese
  ['生气', 'anger', 2],
  ['气死', 'anger', 3],
  ['愤怒', 'anger', 3],
  ['垃圾', 'anger', 2.5],
  ['骗子', 'anger', 3],
  ['投诉', 'anger', 2],
  ['太差', 'anger', 2],
  ['差评', 'anger', 2.5],
  ['坑人', 'anger', 2.5],
  ['恶心', 'anger', 2],
  ['什么破', 'anger', 2.5],
  ['搞什么', 'anger', 2],
  ['受够', 'anger', 2.5],
  ['离谱', 'anger', 2],
  ['忍无可忍', 'anger', 3],
  ['不满意', 'anger', 2],
  ['退货退款', 'anxiety', 0.5],
  ['着急', 'anxiety', 2.5],
  ['急', 'anxiety', 1.5],
  ['担心', 'anxiety', 2],
  ['怎么还没', 'anxiety', 2],
  ['还没到', 'anxiety', 1.5],
  ['快点', 'anxiety', 1.5],
  ['马上', 'anxiety', 1],
  ['赶紧', 'anxiety', 2],
  ['来不及', 'anxiety', 2.5],
  ['怕', 'anxiety', 1.5],
  ['难过', 'sadness', 2.5],
  ['伤心', 'sadness', 2.5],
  ['失望', 'sadness', 2],
  ['可惜', 'sadness', 1.5],
  ['遗憾', 'sadness', 1.5],
  ['哭', 'sadness', 2],
  ['心累', 'sadness', 2],
  ['委屈', 'sadness', 2],
  ['谢谢', 'satisfaction', 1.5],
  ['感谢', 'satisfaction', 2],
  ['满意', 'satisfaction', 2],
  ['太好了', 'satisfaction', 2.5],
  ['好评', 'satisfaction', 2.5],
  ['给力', 'satisfaction', 2],
  ['很棒', 'satisfaction', 2],
  ['解决了', 'satisfaction', 2],
  ['开心', 'satisfaction', 2],
  ['辛苦了', 'satisfaction', 1.5],
  ['赞', 'satisfaction', 1.5],
  // English
  ['angry', 'anger', 2.5],
  ['furious', 'anger', 3],
  ['ridiculous', 'anger', 2.5],
  ['unacceptable', 'anger', 3],
  ['scam', 'anger', 3],
  ['worst', 'anger', 2.5],
  ['terrible', 'anger', 2],
  ['useless', 'anger', 2.5],
  ['complain', 'anger', 2],
  ['fed up', 'anger', 2.5],
  ['wtf', 'anger', 3],
  ['rubbish', 'anger', 2.5],
  ['worried', 'anxiety', 2.5],
  ['urgent', 'anxiety', 2.5],
  ['asap', 'anxiety', 2],
  ['hurry', 'anxiety', 2],
  ['still not', 'anxiety', 2],
  ['nervous', 'anxiety', 2.5],
  ['anxious', 'anxiety', 3],
  ['waiting for', 'anxiety', 1],
  ['sad', 'sadness', 2.5],
  ['disappointed', 'sadness', 2.5],
  ['upset', 'sadness', 2],
  ['heartbroken', 'sadness', 3],
  ['unfortunately', 'sadness', 1],
  ['shame', 'sadness', 1.5],
  ['thank', 'satisfaction', 1.5],
  ['thanks', 'satisfaction', 1.5],
  ['great', 'satisfaction', 2],
  ['perfect', 'satisfaction', 2.5],
  ['awesome', 'satisfaction', 2.5],
  ['happy', 'satisfaction', 2],
  ['love it', 'satisfaction', 2.5],
  ['solved', 'satisfaction', 2],
  ['helpful', 'satisfaction', 2],
]
const EMOJI: readonly [RegExp, Felt, number][] = [
  [/[😡😠🤬👿💢]/u, 'anger', 3],
  [/[😰😨😟😥⏰]/u, 'anxiety', 2],
  [/[😭😢😞😔💔]/u, 'sadness', 2.5],
  [/[😊😄😁👍🙏🥰😀]|❤️?/u, 'satisfaction', 2],
]
const NEGATION = /[不没别未]|\b(?:not|never|no)\b|n't/
const INTENSIFIER = /非常|太|特别|超级|真的|极其|\b(?:very|so|really|extremely|totally)\b/
/** How far before a cue a negation or intensifier still counts: two Chinese words, or a few English ones. */
const REACH = { cjk: 4, latin: 14 }
const LATIN_CUE = /^[a-z]/

/**
 * Reads a Chinese, English or mixed message: cues from a lexicon (negated cues of satisfaction turn
 * to sadness or anger's side, negated distress weakens), intensifiers before a cue, repeated `!`/`?`,
 * capitals shouted in English and emoji add weight. Below `THRESHOLD` nothing is felt: neutral.
 */
export function classifyEmotion(message: string): EmotionReading {
  const text = message.toLowerCase().normalize('NFKC')
  const scores: Record<Felt, number> = { anger: 0, anxiety: 0, sadness: 0, satisfaction: 0 }
  for (const [cue, felt, weight] of LEXICON) {
    for (let at = text.indexOf(cue); at >= 0; at = text.indexOf(cue, at + cue.length)) {
      // Only what stands right before the cue in the same clause: "没问题，谢谢" is no negated thanks.
      const reach = LATIN_CUE.test(cue) ? REACH.latin : REACH.cjk
      const before =
        text
          .slice(Math.max(0, at - reach), at)
          .split(/[，,。.!！?？;；]/)
          .pop() ?? ''
      const negated = NEGATION.test(before) && !cue.startsWith('不')
      const boost = INTENSIFIER.test(before) ? 1.5 : 1
      if (!negated) scores[felt] += weight * boost
      // "不满意", "not happy": a negated satisfaction is a complaint.
      else if (felt === 'satisfaction') scores.anger += weight * 0.8 * boost
    }
  }
  for (const [pattern, felt, weight] of EMOJI) if (pattern.test(message)) scores[felt] += weight
  const exclamations = (message.match(/[!！]/g) ?? []).length
  const questions = (message.match(/[?？]/g) ?? []).length
  if (exclamations >= 2) scores.anger += 0.6 * Math.min(exclamations, 5)
  if (questions >= 2) scores.anxiety += 0.5 * Math.min(questions, 5)
  // Whole words in capitals, four letters or more (so not SMS, VIP or an order's code).
  const shouted = message.match(/\b[A-Z]{4,}\b/g) ?? []
  if (shouted.length > 0) scores.anger += 1.5 * Math.min(shouted.length, 3)
  const [emotion, score] = (Object.entries(scores) as [Felt, number][]).reduce((best, next) =>
    next[1] > best[1] ? next : best,
  )
  if (score < THRESHOLD) return { emotion: 'neutral', intensity: 0, scores }
  return { emotion, intensity: Math.min(1, score / SATURATION), scores }
}

/** Evidence below this is no emotion; at `SATURATION` the intensity is full. */
const THRESHOLD = 1.4
const SATURATION = 8
