// @vitest-environment node
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

it('keeps its folders free of import cycles, and the wiring files out of every folder', () => {
  const check = fileURLToPath(new URL('../../shared/scripts/checkFolders.mjs', import.meta.url))
  const src = fileURLToPath(new URL('.', import.meta.url))
  const run = spawnSync(process.execPath, [check, src, '--roots', 'entries/'], {
    encoding: 'utf8',
  })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
})
