import { join } from 'node:path'
import type { Logger } from '@kefu/shared'
import { type Config, ConfigError, loadConfig } from './config'
import { LivekitProcess } from './livekit/LivekitProcess'
import { ensureLivekitBinary } from './livekit/livekitBinary'
import { createLogger } from './logger'
import { DEMO_PASSWORD, DEMO_STAFF } from './seed'
import { startServer } from './server'

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env)
  } catch (error) {
    exitIfOperatorCanFix(error)
  }
  const logger = createLogger(config.logLevel)
  const started = (async () => {
    const server = await startServer(config, { logger }).catch(exitIfOperatorCanFix)
    return { server, livekit: await startManagedLivekit(config, server.url, logger) }
  })()
  let isStopping = false
  // Listening from the first moment, so a Ctrl-C during the start still stops LiveKit; and kept
  // listening while stopping: a Ctrl-C reaches this process twice (from the terminal and relayed
  // by tsx or a supervisor), and with no listener left the second would kill it mid-close.
  const stop = () => {
    if (isStopping) return
    isStopping = true
    void started.then(async ({ server, livekit }) => {
      await server.close()
      logger.info({ url: server.url }, 'kefu3d stopped')
      if (livekit) {
        await livekit.stop()
        logger.info({ url: livekit.url }, 'livekit-server stopped')
      }
      // Written before exiting: pino writes in the background, and the flush that exit forces
      // writes what waits before what is being written, so the last lines came out of order.
      await new Promise<void>((resolve) => logger.flush(() => resolve()))
      process.exit(0)
    })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const { server, livekit } = await started
  if (config.isDev) printWelcome(server.url, livekit?.url)
}

/** A bad variable, or a port or data folder in use, ends the start with its message, not a stack. */
function exitIfOperatorCanFix(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`kefu3d cannot start: ${error.message}\n`)
    process.exit(2)
  }
  throw error
}

/** In the default run the server brings its own LiveKit, with webhooks pointing back at itself. */
async function startManagedLivekit(
  config: Config,
  serverUrl: string,
  logger: Logger,
): Promise<LivekitProcess | undefined> {
  const livekit = config.livekit
  if (!livekit?.managed) return undefined
  const binary = ensureLivekitBinary(livekit.cacheDir, (line) => process.stdout.write(`${line}\n`))
  const livekitServer = await LivekitProcess.start(
    {
      binary,
      workDir: join(config.dataDir, 'livekit'),
      port: livekit.port,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      webhookUrl: `${serverUrl}/livekit/webhook`,
      dev: config.isDev,
    },
    logger,
  )
  logger.info({ url: livekitServer.url, pid: livekitServer.pid }, 'livekit-server started')
  return livekitServer
}

function printWelcome(url: string, livekitUrl: string | undefined): void {
  const logins = DEMO_STAFF.map(
    (staff) => `    ${staff.login.padEnd(6)} ${staff.role.padEnd(10)} teams: ${staff.teams.join(', ')}`,
  )
  process.stdout.write(
    [
      '',
      'kefu3d is running',
      `  Customer chat   ${url}/chat`,
      `  Agent console   ${url}/agent`,
      `  Dashboard       ${url}/dashboard   (sign in as a supervisor)`,
      `  Staffing        ${url}/staffing`,
      `  Knowledge base  ${url}/knowledge`,
      `  Metrics         ${url}/metrics`,
      `  Voice (LiveKit) ${livekitUrl ?? 'off (set LIVEKIT_MANAGED=1 or LIVEKIT_URL)'}`,
      `  Demo logins (password "${DEMO_PASSWORD}"):`,
      ...logins,
      `  Traffic for the dashboard: pnpm kefu simulate --url ${url}`,
      '',
    ].join('\n'),
  )
}

await main()
