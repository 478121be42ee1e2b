export { ANGER_THRESHOLD, classifyEmotion, EMOTIONS, type Emotion, type EmotionReading } from './classify'
export { type MoodTrend, moodOf, moodTrend } from './mood'
