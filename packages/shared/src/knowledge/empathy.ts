import { ANGER_THRESHOLD, type EmotionReading } from '../emotion/classify'
import type { KnowledgeLang } from './faq'

/**
 * What an agent might say first to a customer who is upset, in the customer's language: it names
 * the feeling and promises an action, the two things complaint-handling guides agree on.
 */
export const EMPATHETIC_REPLIES: Record<KnowledgeLang, Record<'anger' | 'anxiety' | 'sadness', string>> = {
  zh: {
    anger: '非常抱歉让您这么生气，这确实是我们的问题。我现在就帮您处理，马上给您一个明确的结果。',
    anxiety: '理解您着急的心情，我这就帮您查，请稍等一两分钟，我会一直跟进到解决。',
    sadness: '真的很抱歉给您带来这样的经历，我会尽力帮您弥补，先看看能为您做些什么。',
  },
  en: {
    anger:
      'I am really sorry this has made you so angry; that is on us. I am on it now and will get you a clear answer.',
    anxiety:
      'I understand this is urgent for you. I am checking right now and will stay with you until it is sorted.',
    sadness: 'I am truly sorry you had this experience. Let me see what I can do to make it right.',
  },
}

/** Anxiety and sadness call for care from a lower intensity than anger does. */
const CARE_FROM = 0.2

/** The empathetic opening to suggest for this reading, or none when the customer is calm or pleased. */
export function empatheticReply(reading: EmotionReading, lang: KnowledgeLang): string | undefined {
  if (reading.emotion === 'anger')
    return reading.intensity >= ANGER_THRESHOLD ? EMPATHETIC_REPLIES[lang].anger : undefined
  if (reading.emotion === 'anxiety' || reading.emotion === 'sadness')
    return reading.intensity >= CARE_FROM ? EMPATHETIC_REPLIES[lang][reading.emotion] : undefined
  return undefined
}
