import { join } from 'node:path'
import type { Logger } from '@kefu/shared'
import type { Config } from '../config'
import { PostgresRepository } from './PostgresRepository'
import type { Repository } from './Repository'
import { SqliteRepository } from './SqliteRepository'

const WAL_CHECKPOINT_INTERVAL_MS = 1000

/** The store the configuration names: PostgreSQL at DATABASE_URL, else SQLite in the data folder. */
export async function openRepository(config: Config, logger?: Logger): Promise<Repository> {
  if (config.databaseUrl) return PostgresRepository.open(config.databaseUrl)
  return new SqliteRepository(join(config.dataDir, 'kefu.db'), {
    checkpoint: { intervalMs: WAL_CHECKPOINT_INTERVAL_MS },
    onError: (message) => logger?.warn({ message }, 'WAL checkpoint failed'),
  })
}
