import { afterAll, beforeAll } from 'vitest'
import { LocalPostgres } from './LocalPostgres'
import { openPostgresRepository } from './postgresRepository'
import { describeRepositoryContract } from './repositoryContract'

// A real PostgreSQL, started for this file in a folder of its own (setup installs it).
let cluster: LocalPostgres
beforeAll(async () => {
  cluster = await LocalPostgres.start()
}, 30_000)
afterAll(() => cluster?.stop())

let databases = 0
let lastUrl = ''

describeRepositoryContract(
  'PostgreSQL',
  async () => {
    lastUrl = await cluster.createDatabase(`contract_${++databases}`)
    return openPostgresRepository(lastUrl)
  },
  async () => openPostgresRepository(lastUrl),
)
