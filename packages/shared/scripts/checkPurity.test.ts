import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const runCheck = (entry?: string) =>
  spawnSync(process.execPath, ['scripts/checkPurity.mjs', ...(entry ? [entry] : [])], { encoding: 'utf8' })

describe('the platform-neutrality check', () => {
  it('passes for the shared core as it is', () => {
    const run = runCheck()
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })

  it.each(['scripts/fixtures/importsNode.ts', 'scripts/fixtures/usesWx.ts'])('rejects %s', (entry) => {
    const run = runCheck(entry)
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('not platform-neutral')
  })
})
