export { classifyEmotion, EMOTIONS, type Emotion, type EmotionReading } from './classify'
