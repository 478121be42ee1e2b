import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const runCheck = (srcDir: string, roots = 'index.ts') =>
  spawnSync(process.execPath, ['scripts/checkFolders.mjs', srcDir, '--roots', roots], { encoding: 'utf8' })

describe('the folder check', () => {
  it('passes for the shared core as it is', () => {
    const run = runCheck('src')
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })

  it('fails on a cycle between folders, even one that runs through a type-only import', () => {
    const run = runCheck('scripts/fixtures/typeCycle')
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('a/ -> b/ -> a/')
  })

  it('fails when a folder imports the composition root', () => {
    const run = runCheck('scripts/fixtures/rootImport', 'server.ts')
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('chat/Lifecycle.ts imports the composition root ../server')
  })
})
