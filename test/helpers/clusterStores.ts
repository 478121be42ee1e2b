// vitest's global set-up for the `cluster` project: one throwaway PostgreSQL and one Redis for the
// whole run, and every test server a node of a cluster on them (see `testEnv`): a database and a
// Redis namespace of its own per data folder, so the same tests run as a cluster's nodes do.
import { LocalPostgres, LocalRedis } from '@kefu/signal'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresPort: number
    redisUrl: string
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, redis] = await Promise.all([LocalPostgres.start(), LocalRedis.start()])
  project.provide('postgresPort', postgres.port)
  project.provide('redisUrl', redis.url)
  return async () => {
    postgres.stop()
    await redis.stop()
  }
}
