import type { Emotion, EmotionReading } from './classify'

/** How a reading feels on one line, -1 (upset) to +1 (pleased): the console's trend plots it. */
export function moodOf(reading: EmotionReading): number {
  const sign: Record<Emotion, number> = {
    anger: -1,
    anxiety: -0.6,
    sadness: -0.8,
    satisfaction: 1,
    neutral: 0,
  }
  return sign[reading.emotion] * reading.intensity
}

export type MoodTrend = 'worsening' | 'improving' | 'steady'
/** A change in mood smaller than this is noise in a lexicon's reading. */
const TREND_STEP = 0.15

/** Whether the customer's last messages feel better or worse than the ones before them. */
export function moodTrend(moods: readonly number[]): MoodTrend {
  if (moods.length < 2) return 'steady'
  const recent = moods.slice(-2)
  const earlier = moods.length > 2 ? moods.slice(0, -2) : moods.slice(0, 1)
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
  const change = mean(recent) - mean(earlier)
  return change <= -TREND_STEP ? 'worsening' : change >= TREND_STEP ? 'improving' : 'steady'
}
