import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** The LiveKit server release kefu3d is built and tested against. */
export const LIVEKIT_VERSION = 'v1.13.5'
const MODULE = `github.com/livekit/livekit-server/cmd/server@${LIVEKIT_VERSION}`

function onPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, name)
    if (folder && existsSync(candidate)) return candidate
  }
  return undefined
}

/**
 * Finds `livekit-server`: $LIVEKIT_BIN, then PATH, then the project's cache folder; otherwise
 * builds it there from the Go module proxy. Never downloads a prebuilt binary.
 */
export function ensureLivekitBinary(cacheDir: string, log: (line: string) => void = () => {}): string {
  const fromEnv = process.env.LIVEKIT_BIN
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`LIVEKIT_BIN points at ${fromEnv}, which does not exist`)
    return fromEnv
  }
  const installed = onPath('livekit-server')
  if (installed) return installed
  const binDir = join(cacheDir, 'bin')
  const cached = join(binDir, 'livekit-server')
  if (existsSync(cached)) return cached
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      `livekit-server ${LIVEKIT_VERSION} is needed and Go is not installed to build it. Install Go >= 1.23, ` +
        'or put livekit-server on PATH, or set LIVEKIT_BIN.',
    )
  }
  mkdirSync(binDir, { recursive: true })
  log(`building livekit-server ${LIVEKIT_VERSION} with go install (once; about two minutes)`)
  execFileSync('go', ['install', MODULE], {
    env: { ...process.env, GOBIN: binDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  renameSync(join(binDir, 'server'), cached)
  return cached
}
