import { classifyEmotion, EMOTIONS, type Emotion } from '@kefu/shared'
import { z } from 'zod'

export const EmotionSampleSchema = z.object({
  text: z.string().min(1),
  label: z.enum(EMOTIONS),
  lang: z.enum(['zh', 'en']).optional(),
})
export type EmotionSample = z.infer<typeof EmotionSampleSchema>

export interface LabelScores {
  precision: number
  recall: number
  f1: number
  support: number
}

export interface EmotionScores {
  accuracy: number
  macroF1: number
  perLabel: Record<Emotion, LabelScores>
  /** confusion[label][predicted] */
  confusion: Record<Emotion, Record<Emotion, number>>
}

/** Reads every sample with the classifier the server uses and scores it per label. */
export function evaluateEmotion(samples: readonly EmotionSample[]): EmotionScores {
  const zeros = () => Object.fromEntries(EMOTIONS.map((emotion) => [emotion, 0])) as Record<Emotion, number>
  const confusion = Object.fromEntries(
    EMOTIONS.map((emotion) => [emotion, zeros()]),
  ) as EmotionScores['confusion']
  let correct = 0
  for (const sample of samples) {
    const predicted = classifyEmotion(sample.text).emotion
    confusion[sample.label][predicted]++
    if (predicted === sample.label) correct++
  }
  const perLabel = {} as Record<Emotion, LabelScores>
  for (const label of EMOTIONS) {
    const truePositive = confusion[label][label]
    const predicted = EMOTIONS.reduce((sum, other) => sum + confusion[other][label], 0)
    const support = EMOTIONS.reduce((sum, other) => sum + confusion[label][other], 0)
    const precision = predicted ? truePositive / predicted : 0
    const recall = support ? truePositive / support : 0
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
    perLabel[label] = { precision, recall, f1, support }
  }
  return {
    accuracy: correct / Math.max(1, samples.length),
    macroF1: EMOTIONS.reduce((sum, label) => sum + perLabel[label].f1, 0) / EMOTIONS.length,
    perLabel,
    confusion,
  }
}
