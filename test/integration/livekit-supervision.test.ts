import { readFileSync } from 'node:fs'
import type { Logger } from '@kefu/shared'
import { describe, expect, it } from 'vitest'
import { freeLivekitPort, startTestLivekit } from '../helpers/livekit'
import { until } from '../helpers/until'

interface LogLine {
  level: keyof Logger
  data: object
  message: string
}

function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = []
  const at =
    (level: keyof Logger) =>
    (data: object, message: string): void =>
      void lines.push({ level, data, message })
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines }
}

const answers = (url: string): Promise<boolean> =>
  fetch(url).then(
    (response) => response.ok,
    () => false,
  )

/** Ports listened on by anyone on an address other than loopback (from /proc/net/tcp and tcp6). */
function portsOpenBeyondLoopback(): number[] {
  const open: number[] = []
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (state !== '0A' || !local) continue
      const [address = '', port = ''] = local.split(':')
      const isLoopback = address === '0100007F' || address === '00000000000000000000000001000000'
      if (!isLoopback) open.push(Number.parseInt(port, 16))
    }
  }
  return open
}

describe('the managed LiveKit server', () => {
  it('listens on loopback only', async () => {
    const port = await freeLivekitPort()
    const livekit = await startTestLivekit(port, undefined)
    try {
      const beyond = portsOpenBeyondLoopback()
      for (const own of [port, port + 1, port + 2]) expect(beyond, `port ${own}`).not.toContain(own)
    } finally {
      await livekit.stop()
    }
  })

  it('is started again when it dies on its own, and stays down once stopped', async () => {
    const { logger, lines } = recordingLogger()
    const livekit = await startTestLivekit(await freeLivekitPort(), undefined, logger)
    try {
      const crashedPid = livekit.pid
      if (crashedPid === undefined) throw new Error('LiveKit has no process')
      process.kill(crashedPid, 'SIGKILL')
      const restarted = () => lines.some((line) => line.level === 'info' && /restarted/.test(line.message))
      const isBack = await until(
        async () => restarted() && (await answers(livekit.httpUrl)),
        (back) => back,
        15_000,
      )
      expect(isBack).toBe(true)

      expect(livekit.pid).not.toBe(crashedPid)
      expect(lines.find((line) => line.level === 'error')).toMatchObject({
        message: expect.stringMatching(/exited on its own/),
        data: { signal: 'SIGKILL' },
      })
    } finally {
      await livekit.stop()
    }
    // A restart is decided, and logged as an error, when the process's exit is seen; by the time
    // stop() returns that exit has been seen. So no second error means no restart is coming.
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1)
    expect(await answers(livekit.httpUrl)).toBe(false)
  })
})
