import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TestClient } from './TestClient'
import { testEnv } from './testServer'

const SIGNAL = join(dirname(fileURLToPath(import.meta.url)), '../../packages/signal')
/** The server from its sources, or the bundle `pnpm build` made: what production starts. */
export const SERVER_ENTRY = {
  source: ['--import', 'tsx', join(SIGNAL, 'src/main.ts')],
  built: [join(SIGNAL, 'dist/src/main.js')],
} as const
export type ServerEntry = keyof typeof SERVER_ENTRY

function spawnMain(
  dataDir: string,
  port: number,
  env: Record<string, string>,
  stderr: 'inherit' | 'pipe',
  entry: ServerEntry = 'source',
) {
  const fullEnv = { ...process.env, ...testEnv(dataDir, { PORT: String(port), LOG_LEVEL: 'info', ...env }) }
  return spawn(process.execPath, [...SERVER_ENTRY[entry]], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', stderr],
  })
}

/** The real server as its own process (to kill it, or to keep it out of a browser-like test realm). */
export function spawnServer(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
  entry: ServerEntry = 'source',
): Promise<{ process: ChildProcess; port: number; url: string }> {
  const proc = spawnMain(dataDir, port, env, 'inherit', entry)
  return new Promise((resolve, reject) => {
    let buffered = ''
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = buffered.match(/"port":(\d+)[^\n]*"msg":"listening"/)
      if (match) resolve({ process: proc, port: Number(match[1]), url: `http://127.0.0.1:${match[1]}` })
    })
    proc.once('exit', (code) => reject(new Error(`server exited early with ${code}`)))
  })
}

/** Starts the real server expecting it to refuse: resolves with its exit code and what it printed on stderr. */
export function spawnServerUntilExit(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const proc = spawnMain(dataDir, port, env, 'pipe')
  let stderr = ''
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const started = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  return new Promise((resolve) =>
    proc.once('exit', (code) => {
      clearTimeout(started)
      resolve({ code, stderr })
    }),
  )
}

/**
 * The real server in its own process on a fresh data folder, with the demo agent carol signed in on
 * a socket: what a mini-program test talks to.
 */
export async function spawnServerWithDemoAgent(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-mp-'))
  const server = await spawnServer(dataDir, 0, env)
  const login = await fetch(`${server.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'carol', password: 'kefu-demo' }),
  })
  const agentToken = ((await login.json()) as { token: string }).token
  const agent = await TestClient.open(`${server.url.replace('http', 'ws')}/ws?token=${agentToken}`)
  await agent.hello('agent-desk')
  return {
    server,
    agent,
    agentToken,
    async stop() {
      await agent.close()
      server.process.kill('SIGTERM')
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Switches the demo's payment-outage playbook on or off as the demo supervisor, sam. */
export async function switchDemoOutage(serverUrl: string, on: boolean): Promise<void> {
  const login = await fetch(`${serverUrl}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'sam', password: 'kefu-demo' }),
  })
  const { token } = (await login.json()) as { token: string }
  const path = on ? '/api/playbooks/playbook-payment-outage/activate' : '/api/playbooks/deactivate'
  const switched = await fetch(`${serverUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  if (!switched.ok) throw new Error(`the outage playbook was not switched: ${switched.status}`)
}

/** A session token from a server in its own process: a staff login or a customer session. */
export async function tokenFrom(url: string, path: string, body: unknown): Promise<string> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return ((await response.json()) as { token: string }).token
}
