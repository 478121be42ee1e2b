import { classifyEmotion, type Emotion, type LocalMessage, moodOf, moodTrend } from '@kefu/shared'

/** How the console names what the customer feels. */
const FEELING: Record<Emotion, string> = {
  anger: 'angry',
  anxiety: 'anxious',
  sadness: 'sad',
  satisfaction: 'pleased',
  neutral: 'calm',
}
const TREND_TEXT = { worsening: 'getting worse ↓', improving: 'getting better ↑', steady: 'steady' } as const
/** Enough of the recent past to see a turn, few enough to read at a glance. */
const SHOWN_MESSAGES = 12

const isFromCustomer = (message: LocalMessage) => message.kind === 'text' && message.authorRole === 'customer'

/** The tag beside a customer's message: what it reads as and how strongly; nothing for calm words. */
export function EmotionTag({ message }: { message: LocalMessage }) {
  if (!isFromCustomer(message)) return null
  const reading = classifyEmotion(message.body)
  if (reading.emotion === 'neutral') return null
  return (
    <span className={`emotion ${reading.emotion}`} data-testid="emotion-tag">
      {FEELING[reading.emotion]} {Math.round(reading.intensity * 100)}
    </span>
  )
}

/** The customer's mood over their last messages, as a strip of bars, with which way it is going. */
export function CustomerMood({ messages }: { messages: readonly LocalMessage[] }) {
  const readings = messages
    .filter(isFromCustomer)
    .slice(-SHOWN_MESSAGES)
    .map((message) => classifyEmotion(message.body))
  if (readings.length === 0) return null
  const moods = readings.map(moodOf)
  const trend = moodTrend(moods)
  const last = readings.at(-1)
  return (
    <div
      className={`mood ${trend}`}
      data-testid="customer-mood"
      title="Each bar is one customer message: up pleased, down upset"
    >
      <span className="mood-label">
        Mood: {last ? FEELING[last.emotion] : ''} · {TREND_TEXT[trend]}
      </span>
      <span className="mood-bars" aria-hidden="true">
        {readings.map((reading, index) => {
          const mood = moodOf(reading)
          const height = `${Math.max(2, Math.abs(mood) * 16)}px`
          return (
            // Bars are a fixed window of the conversation's messages, in order.
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity here
            <span key={index} className="mood-slot">
              <span
                className={`mood-bar ${reading.emotion}`}
                style={mood < 0 ? { top: '50%', height } : { bottom: '50%', height }}
              />
            </span>
          )
        })}
      </span>
    </div>
  )
}
