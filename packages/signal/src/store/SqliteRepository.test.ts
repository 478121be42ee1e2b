import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { describeRepositoryContract } from './repositoryContract'
import { SqliteRepository } from './SqliteRepository'

const folder = mkdtempSync(join(tmpdir(), 'kefu-sqlite-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let files = 0

describeRepositoryContract('SQLite', async () => new SqliteRepository(join(folder, `store-${files++}.db`)))

describe('SQLite file store', () => {
  it('keeps its epoch across reopening, and a new file gets a new one', async () => {
    const path = join(folder, 'epoch.db')
    const first = new SqliteRepository(path)
    const epoch = await first.epoch()
    await first.close()
    const reopened = new SqliteRepository(path)
    expect(await reopened.epoch()).toBe(epoch)
    await reopened.close()
    const other = new SqliteRepository(join(folder, 'other.db'))
    expect(await other.epoch()).not.toBe(epoch)
    await other.close()
  })
})
