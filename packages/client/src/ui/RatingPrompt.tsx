import type { ConversationId } from '@kefu/shared'
import { useState } from 'react'
import { RATING_SCORES } from '../core/rating'
import { t } from '../platform/web/webLocale'

/** Asked once a conversation is resolved: 1 to 5 stars and an optional comment. */
export function RatingPrompt({
  conversationId,
  onRate,
}: {
  conversationId: ConversationId
  onRate(rating: { conversationId: ConversationId; score: number; comment?: string }): void
}) {
  const [score, setScore] = useState<number>()
  const [comment, setComment] = useState('')
  return (
    <form
      className="rating"
      data-testid="rating"
      onSubmit={(event) => {
        event.preventDefault()
        if (score === undefined) return
        onRate({ conversationId, score, ...(comment.trim() ? { comment: comment.trim() } : {}) })
      }}
    >
      <div className="rating-ask">{t('rating.ask')}</div>
      <div className="stars">
        {RATING_SCORES.map((value) => (
          <button
            key={value}
            type="button"
            className={score !== undefined && value <= score ? 'star on' : 'star'}
            aria-label={t('rating.star', { score: value })}
            aria-pressed={score === value}
            onClick={() => setScore(value)}
          >
            ★
          </button>
        ))}
      </div>
      <textarea
        aria-label={t('rating.comment')}
        placeholder={t('rating.comment')}
        maxLength={500}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
      />
      <button type="submit" disabled={score === undefined}>
        {t('rating.submit')}
      </button>
    </form>
  )
}
