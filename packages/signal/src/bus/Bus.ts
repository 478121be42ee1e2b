/** Fan-out between connections, possibly on several server nodes. Payloads are serialized frames. */
export interface Bus {
  publish(topic: string, payload: string): void
  /** Returns the unsubscribe function. */
  subscribe(topic: string, handler: (payload: string) => void): () => void
}

/** Topic of every device of one person. */
export const userTopic = (userId: string): string => `user:${userId}`
/** Topic of every staff member of one team (queue changes). */
export const teamTopic = (teamId: string): string => `team:${teamId}`
