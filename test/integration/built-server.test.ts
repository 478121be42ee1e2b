// The artifact that ships: `pnpm build`'s bundle of the server and the CLI, started as production
// starts it (no development defaults, no demo data), on SQLite in this run and on PostgreSQL in
// the PostgreSQL run. The build broke twice without any test noticing, because every other test
// starts the server from its sources.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { SERVER_ENTRY, spawnServer } from '../helpers/spawnedServer'
import { TestClient } from '../helpers/TestClient'
import { testEnv } from '../helpers/testServer'

const BUILT_CLI = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal/dist/src/cli.js')
const dataDir = mkdtempSync(join(tmpdir(), 'kefu-built-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const PRODUCTION = {
  KEFU_DEV: '0',
  NODE_ENV: 'production',
  SESSION_SECRET: 'built-server-session-secret-0123456789',
  METRICS_TOKEN: 'built-server-metrics-token',
}

const builtKefu = (...args: string[]) =>
  spawnSync(process.execPath, [BUILT_CLI, ...args], {
    env: { ...process.env, ...testEnv(dataDir, PRODUCTION) },
    encoding: 'utf8',
    timeout: 30_000,
  })

async function postJson(url: string, body: unknown): Promise<{ status: number; token?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, ...((await response.json()) as { token?: string }) }
}

describe('the built server, started as production starts it', () => {
  it('is ready, and carries a customer’s message to an agent the built CLI created', async () => {
    for (const file of SERVER_ENTRY.built) expect(existsSync(file), `${file}: run pnpm build`).toBe(true)
    const added = builtKefu('agent', 'add', 'ada', '--name', 'Ada', '--teams', 'general')
    expect(added.stderr).toBe('')
    const password = added.stdout.match(/password: (\S+)/)?.[1] ?? ''

    const server = await spawnServer(dataDir, 0, PRODUCTION, 'built')
    const exited = new Promise((resolve) => server.process.once('exit', resolve))
    try {
      const ready = await fetch(`${server.url}/readyz`)
      expect(ready.status).toBe(200)
      const agentLogin = await postJson(`${server.url}/api/agent/login`, { login: 'ada', password })
      expect(agentLogin.status).toBe(200)
      const socketUrl = `${server.url.replace('http', 'ws')}/ws?token=`
      const agent = await TestClient.open(`${socketUrl}${agentLogin.token}`)
      await agent.hello('desk')
      const guest = await postJson(`${server.url}/api/customer/session`, { guestName: 'Built' })
      const customer = await TestClient.open(`${socketUrl}${guest.token}`)
      await customer.hello('phone')
      const conversation = await customer.openConversation()
      await customer.waitFor('conversation.assigned')
      await customer.say(conversation.id, '你好，打包后的服务器')

      const delivered = await agent.waitFor('message.new', (frame) => frame.message.kind === 'text')
      expect(delivered.message.body).toBe('你好，打包后的服务器')
      await Promise.all([agent.close(), customer.close()])
    } finally {
      server.process.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
