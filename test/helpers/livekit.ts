import { createHash, createHmac } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from '@kefu/shared'
import { ensureLivekitBinary, LivekitProcess, type LivekitProcessOptions } from '@kefu/signal'
import type { Browser } from 'playwright-core'
import { afterEach, beforeEach } from 'vitest'
import { CLIENT_DIST, serverAndBrowserPerFile } from './browser'
import { TestServer } from './testServer'

export const LIVEKIT_CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../.cache/livekit')

/** Test credentials; a LiveKit secret must be at least 32 characters. */
export const TEST_LIVEKIT = {
  apiKey: 'kefu-test-key',
  apiSecret: 'kefu-test-livekit-secret-0123456789abcdef',
}

/**
 * The Authorization header LiveKit sends with a webhook: a JWT from the API key, signed with its
 * secret, whose `sha256` claim is the body's digest (what the server's WebhookReceiver checks).
 */
export function livekitWebhookAuthorization(body: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const claims = {
    iss: TEST_LIVEKIT.apiKey,
    nbf: now - 5,
    exp: now + 600,
    sha256: createHash('sha256').update(body).digest('base64'),
  }
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`
  const signature = createHmac('sha256', TEST_LIVEKIT.apiSecret).update(unsigned).digest('base64url')
  return `${unsigned}.${signature}`
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

// Below Linux's ephemeral range (32768 and up): a port checked free there can be taken by any
// outgoing connection before LiveKit binds it, and LiveKit then exits.
const FIRST_PORT = 20_000
const PORTS = 12_000

/** A signalling port whose next two ports (media TCP and UDP) look free too. */
export async function freeLivekitPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * PORTS)
    if ((await isFree(port)) && (await isFree(port + 1))) return port
  }
  throw new Error('no free ports for LiveKit on loopback')
}

/** Starts a real LiveKit server for one test file; fails loudly if it cannot. */
export async function startTestLivekit(
  port: number,
  webhookUrl: string | undefined,
  logger?: Logger,
  /** For a node of a LiveKit cluster: its own loopback address, and the Redis the nodes share. */
  node: Pick<LivekitProcessOptions, 'host' | 'redisAddress'> = {},
): Promise<LivekitProcess> {
  const binary = ensureLivekitBinary(LIVEKIT_CACHE_DIR)
  return LivekitProcess.start(
    {
      binary,
      workDir: mkdtempSync(join(tmpdir(), 'kefu-livekit-')),
      port,
      ...TEST_LIVEKIT,
      webhookUrl,
      ...node,
    },
    logger,
  )
}

/** The real server wired to a real LiveKit (webhooks included), for a test that uses voice. */
export async function startServerWithLivekit(env: Record<string, string> = {}): Promise<{
  server: TestServer
  livekit: LivekitProcess
  stop(): Promise<void>
}> {
  const port = await freeLivekitPort()
  const server = await TestServer.start({
    LIVEKIT_URL: `ws://127.0.0.1:${port}`,
    LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
    ...env,
  })
  const livekit = await startTestLivekit(port, `${server.url}/livekit/webhook`)
  return {
    server,
    livekit,
    async stop() {
      await server.stop()
      await livekit.stop()
    },
  }
}

/**
 * Gives every test of the calling file its own server and LiveKit (about 150 ms), so no queue or
 * room leaks between tests. Read `.server` inside a test.
 */
export function serverWithLivekitPerTest(): { readonly server: TestServer } {
  let stack: Awaited<ReturnType<typeof startServerWithLivekit>> | undefined
  beforeEach(async () => {
    stack = await startServerWithLivekit()
  })
  afterEach(async () => {
    await stack?.stop()
    stack = undefined
  })
  return {
    get server() {
      if (!stack) throw new Error('The server runs only inside a test')
      return stack.server
    },
  }
}

/** The real server serving the built web client, a real LiveKit and Chromium, for every test of the calling file. */
export function serverWithLivekitAndBrowserPerFile(): {
  readonly server: TestServer
  readonly browser: Browser
} {
  return serverAndBrowserPerFile(() => startServerWithLivekit({ CLIENT_DIST }))
}
