import { join } from 'node:path'
import type { Logger } from '@kefu/shared'
import type { Config } from '../config'
import { openPostgresRepository } from './postgresRepository'
import type { Repository } from './Repository'
import { openSqliteRepository } from './sqliteRepository'

const WAL_CHECKPOINT_INTERVAL_MS = 1000

/** The store the configuration names: PostgreSQL at DATABASE_URL, else SQLite in the data folder. */
export async function openRepository(config: Config, logger?: Logger): Promise<Repository> {
  if (config.databaseUrl)
    return openPostgresRepository(config.databaseUrl, {
      onConnectionLost: (error) => logger?.warn({ err: error }, 'a PostgreSQL connection was lost'),
    })
  return openSqliteRepository(join(config.dataDir, 'kefu.db'), {
    checkpoint: { intervalMs: WAL_CHECKPOINT_INTERVAL_MS },
    onError: (message) => logger?.warn({ message }, 'WAL checkpoint failed'),
  })
}
