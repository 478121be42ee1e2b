// vitest's global set-up for the `postgres` project: one throwaway PostgreSQL cluster for the whole
// run, and every test server on a database of its own in it (see `testEnv`), so the same tests run
// against both stores.
import { LocalPostgres } from '@kefu/signal'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresPort: number
  }
}

export async function setup(project: TestProject): Promise<() => void> {
  const cluster = await LocalPostgres.start()
  project.provide('postgresPort', cluster.port)
  return () => cluster.stop()
}
