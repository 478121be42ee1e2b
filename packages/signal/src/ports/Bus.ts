/**
 * Fan-out between connections, possibly on several server nodes. Payloads are serialized frames;
 * `origin` names the connection that caused the publish, so it can skip what it already knows.
 */
export interface Bus {
  /**
   * Hands the payload on without waiting for it to arrive: a message is stored before it is
   * published, so one lost on the way is fetched by the recipient's next sync. A cluster's bus
   * sends publishes of one node in the order they were made (one Redis connection pipelines them).
   */
  publish(topic: string, payload: string, origin?: string): void
  /**
   * False while a publish cannot leave this node (a cluster's Redis is away): a message sent then is
   * refused, retryably, rather than stored where the other side would not hear of it until it syncs.
   */
  readonly reachable: boolean
  /**
   * Resolves once payloads published from now on reach `handler`, on every node (a Redis
   * SUBSCRIBE is acknowledged before messages flow); resolves to the unsubscribe function.
   */
  subscribe(topic: string, handler: BusHandler): Promise<() => void>
}

export type BusHandler = (payload: string, origin: string | undefined) => void

/** Topic of every device of one person. */
export const userTopic = (userId: string): string => `user:${userId}`
/** Topic of every staff member of one team (queue changes). */
export const teamTopic = (teamId: string): string => `team:${teamId}`
/** Topic of the supervisors of one team: every message of the team's conversations, live. */
export const superviseTopic = (teamId: string): string => `supervise:${teamId}`
/** Topic of every connection: what the whole service tells everyone (an emergency's banner). */
export const serviceTopic = 'service'
