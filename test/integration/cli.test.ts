import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { TestServer } from '../helpers/testServer'

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal/src/cli.ts')
const dataDir = mkdtempSync(join(tmpdir(), 'kefu-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const kefu = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  })

describe('the staff CLI', () => {
  it('adds a team and an agent who can then sign in with the printed password', async () => {
    expect(kefu('team', 'add', 'vip-desk', '--name', 'VIP desk', '--target-ms', '15000').stdout).toContain(
      'team vip-desk saved',
    )
    const added = kefu('agent', 'add', 'dora', '--name', 'Dora', '--teams', 'vip-desk', '--capacity', '4')
    expect(added.status).toBe(0)
    const password = added.stdout.match(/password: (\S+)/)?.[1]
    expect(password).toBeTruthy()
    expect(kefu('agent', 'list').stdout).toMatch(/dora\tagent\tDora\tcapacity 4\tvip-desk/)
    expect(kefu('agent', 'add', 'eve', '--teams', 'no-such-team').stderr).toContain(
      'unknown team(s): no-such-team',
    )

    const server = await TestServer.start({}, dataDir)
    const login = await server.post<{ teams: string[] }>('/api/agent/login', { login: 'dora', password })
    expect(login.status).toBe(200)
    expect(login.body.teams).toEqual(['vip-desk'])
    await server.stop()
  })
})
