import { afterAll, beforeAll } from 'vitest'
import { LocalPostgres } from './LocalPostgres'
import { PostgresRepository } from './PostgresRepository'
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
    return PostgresRepository.open(lastUrl)
  },
  async () => PostgresRepository.open(lastUrl),
)
