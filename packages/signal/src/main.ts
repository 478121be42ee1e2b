import { ConfigError, loadConfig } from './config'
import { DEMO_PASSWORD, DEMO_STAFF } from './seed'
import { startServer } from './server'

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kefu3d cannot start: ${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
  const server = await startServer(config)
  if (config.isDev) printWelcome(server.url)
  const stop = async () => {
    await server.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

function printWelcome(url: string): void {
  const logins = DEMO_STAFF.map(
    (staff) => `    ${staff.login.padEnd(6)} ${staff.role.padEnd(10)} teams: ${staff.teams.join(', ')}`,
  )
  process.stdout.write(
    [
      '',
      'kefu3d is running',
      `  Customer chat   ${url}/chat`,
      `  Agent console   ${url}/agent`,
      `  Metrics         ${url}/metrics`,
      `  Demo logins (password "${DEMO_PASSWORD}"):`,
      ...logins,
      '',
    ].join('\n'),
  )
}

await main()
