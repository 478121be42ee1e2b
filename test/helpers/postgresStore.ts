// vitest's global set-up: with KEFU_TEST_STORE=postgres, one throwaway PostgreSQL cluster for the
// whole run, and every test server on a database of its own in it (see `testEnv`), so the same
// tests run against both stores.
import { LocalPostgres } from '@kefu/signal'

export async function setup(): Promise<(() => void) | undefined> {
  if (process.env.KEFU_TEST_STORE !== 'postgres') return undefined
  const cluster = await LocalPostgres.start()
  process.env.KEFU_TEST_POSTGRES_PORT = String(cluster.port)
  return () => cluster.stop()
}
