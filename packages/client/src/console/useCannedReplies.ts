import { useEffect, useState } from 'react'
import { api } from '../net/api'
import type { Completion } from '../ui/Composer'

/** The agent's own canned replies and their teams', as composer completions. */
export function useCannedReplies(token: string | undefined): Completion[] {
  const [completions, setCompletions] = useState<Completion[]>([])
  useEffect(() => {
    if (!token) return
    let current = true
    api.cannedReplies(token).then(
      ({ replies }) =>
        current &&
        setCompletions(
          replies.map((reply) => ({ name: reply.name, body: reply.body, hint: reply.teamId ?? 'mine' })),
        ),
      () => current && setCompletions([]),
    )
    return () => {
      current = false
    }
  }, [token])
  return completions
}
