/**
 * Mutual exclusion per key (a conversation, a customer): work under the same key runs one at a time,
 * in order. In-process today (`KeyedLock`); a cluster takes a PostgreSQL advisory lock or a Redis
 * lease per key, so two nodes cannot interleave a read-modify-write of one conversation either.
 */
export interface Locks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>
}
