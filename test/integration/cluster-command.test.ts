import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { tokenFrom } from '../helpers/spawnedServer'
import { TestClient } from '../helpers/TestClient'
import { onCluster } from '../helpers/testServer'

// `kefu cluster` as a user runs it: PostgreSQL, Redis, two LiveKit nodes, three signal nodes on the
// suite's build and HAProxy in front; a customer and an agent meet through the load balancer; one
// Ctrl-C stops all of it. Once, on the `cluster` project (it brings its own stores).
const SIGNAL = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal')
const folder = mkdtempSync(join(tmpdir(), 'kefu-cluster-command-'))
// PostgreSQL runs as its own user (as root, `postgres`), which must be able to reach its folder inside.
chmodSync(folder, 0o755)
let cli: ChildProcess | undefined
afterAll(async () => {
  // Stopped as a user would, so what it started stops with it even when the test failed.
  if (cli && cli.exitCode === null && cli.signalCode === null) {
    const exited = once(cli, 'exit')
    cli.kill('SIGINT')
    await exited
  }
  rmSync(folder, { recursive: true, force: true })
})

describe.runIf(onCluster)('kefu cluster', () => {
  it('starts a whole cluster behind a load balancer and stops all of it on one Ctrl-C', async () => {
    // Ports well away from the suite's own servers, which take what the system gives them.
    const port = 21_000 + (process.pid % 500) * 10
    const args = ['--import', 'tsx', 'src/cli.ts', 'cluster', '--prebuilt', '--folder', folder]
    args.push('--port', String(port), '--livekit-port', String(port + 5_000))
    // The assistant would answer first; this test is about a person answering through the balancer.
    const env = { ...process.env, BOT_FIRST: '0' }
    const child = spawn(process.execPath, args, { cwd: SIGNAL, env, stdio: ['ignore', 'pipe', 'inherit'] })
    cli = child
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
    await expect.poll(() => output, { timeout: 90_000, interval: 200 }).toContain('cluster is running')
    const url = `http://127.0.0.1:${port}`
    expect(output).toContain(`Through the load balancer   ${url}/chat`)

    const agentToken = await tokenFrom(url, '/api/agent/login', { login: 'carol', password: 'kefu-demo' })
    const agent = await TestClient.open(`ws://127.0.0.1:${port}/ws?token=${agentToken}`)
    await agent.hello('agent-desk')
    const customerToken = await tokenFrom(url, '/api/customer/session', { guestName: 'Through the balancer' })
    const customer = await TestClient.open(`ws://127.0.0.1:${port}/ws?token=${customerToken}`)
    await customer.hello('phone')
    customer.send({ t: 'conversation.open', channel: 'web' })
    const conversationId = (await customer.waitFor('conversation.opened')).conversation.id
    await agent.waitFor('conversation.assigned', (frame) => frame.conversation.id === conversationId)
    await customer.say(conversationId, 'hello through the load balancer')
    await agent.waitFor('message.new', (frame) => frame.message.body === 'hello through the load balancer')
    await agent.say(conversationId, 'hello back')
    await customer.waitFor('message.new', (frame) => frame.message.body === 'hello back')
    await Promise.all([agent.close(), customer.close()])

    const exited = once(child, 'exit')
    child.kill('SIGINT')
    const [code] = await exited
    expect(code).toBe(0)
    expect(output).toContain('kefu3d cluster stopped')
    await expect(fetch(`${url}/readyz`)).rejects.toThrow()
  }, 150_000)
})
