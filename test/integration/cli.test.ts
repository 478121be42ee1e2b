import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { TestServer, testEnv, writeRoutingFile } from '../helpers/testServer'

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal/src/cli.ts')
const dataDir = mkdtempSync(join(tmpdir(), 'kefu-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// One routing file for the CLI and the server: the teams and the rule that sends VIPs to one.
const routingFile = writeRoutingFile(
  dataDir,
  { id: 'vip-desk', name: 'VIP desk', answerTargetMs: 15_000 },
  { vipLevelAbove: 3 },
)
const env = { ROUTING_CONFIG_FILE: routingFile }

const kefu = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...testEnv(dataDir, env) },
    encoding: 'utf8',
    timeout: 30_000,
  })

describe('the staff CLI', () => {
  it('adds an agent to a team of the routing file, who signs in and is sent that team’s customers', async () => {
    expect(kefu('team', 'list').stdout).toBe(
      'vip-desk\tVIP desk\t15000 ms\ngeneral\tGeneral support\t60000 ms\n',
    )
    // A team anywhere but the routing file could be staffed and never sent anyone: refused, with where to add it.
    const refused = kefu('team', 'add', 'elsewhere', '--name', 'Elsewhere')
    expect(refused.status).not.toBe(0)
    expect(refused.stderr).toContain('teams are kept in the routing file (ROUTING_CONFIG_FILE)')
    const added = kefu('agent', 'add', 'dora', '--name', 'Dora', '--teams', 'vip-desk', '--capacity', '4')
    expect(added.status).toBe(0)
    const password = added.stdout.match(/password: (\S+)/)?.[1]
    expect(password).toBeTruthy()
    expect(kefu('agent', 'list').stdout).toMatch(/dora\tagent\tDora\tcapacity 4\tvip-desk/)
    expect(kefu('agent', 'add', 'eve', '--teams', 'no-such-team').stderr).toContain(
      'unknown team(s): no-such-team',
    )

    const server = await TestServer.start(env, dataDir)
    try {
      const login = await server.post<{ teams: string[]; token: string }>('/api/agent/login', {
        login: 'dora',
        password,
      })
      expect(login.status).toBe(200)
      expect(login.body.teams).toEqual(['vip-desk'])
      const dora = await server.connect(login.body.token)
      const vip = await server.connect(await server.customerToken({ userId: 'cli-vip', vipLevel: 5 }))
      const conversation = await vip.openConversation()
      expect(conversation.teamId).toBe('vip-desk')
      const assigned = await dora.waitFor(
        'conversation.assigned',
        (frame) => frame.conversation.id === conversation.id,
      )
      expect(assigned.conversation.agentId).toBe(dora.welcome.userId)
      await Promise.all([dora.close(), vip.close()])
    } finally {
      await server.stop()
    }
  })
})

describe('the traffic simulator CLI', () => {
  it('drives a running server for the given time with a progress line, and refuses a bad option', async () => {
    const server = await TestServer.start()
    try {
      const run = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI,
          'simulate',
          '--url',
          server.url,
          '--rate',
          '240',
          '--duration',
          '3',
          '--typing-ms',
          '100',
          '--seed',
          '5',
        ],
        { env: process.env },
      )
      let stdout = ''
      run.stdout.on('data', (chunk) => {
        stdout += chunk
      })
      const status = await new Promise<number | null>((resolve) => run.on('exit', resolve))
      expect(status).toBe(0)
      const arrived = Number(/(\d+) arrived/.exec(stdout)?.[1])
      expect(stdout).toMatch(/\] 100 % 3\/3 s · \d+ arrived/)
      expect(arrived).toBeGreaterThan(3)
      const { body: sam } = await server.post<{ token: string }>('/api/agent/login', {
        login: 'sam',
        password: 'kefu-demo',
      })
      const listed = await server.get<{ conversations: unknown[] }>('/api/conversations?limit=200', sam.token)
      expect(listed.body.conversations.length).toBe(arrived)
    } finally {
      await server.stop()
    }
    const refused = kefu('simulate', '--surge', '10:5')
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain('--surge: start:seconds:factor')
  })
})
