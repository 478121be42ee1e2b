export { ANGER_THRESHOLD, classifyEmotion, EMOTIONS, type Emotion, type EmotionReading } from './classify'
