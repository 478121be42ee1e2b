// Ctrl-C in a terminal signals the whole foreground process group: kefu3d and the LiveKit server it
// manages at once, and a runner such as tsx or pnpm relays it to kefu3d a second time. The first
// Ctrl-C must stop kefu3d and then LiveKit, quietly, with nothing reporting a failure.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freeLivekitPort, LIVEKIT_CACHE_DIR } from '../helpers/livekit'
import { SERVER_ENTRY } from '../helpers/spawnedServer'
import { testEnv } from '../helpers/testServer'

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-shutdown-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function processGroupOf(pid: number): number {
  // /proc/<pid>/stat: "pid (name) state ppid pgrp ..."; the name may hold spaces, so split after it.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
}

describe('stopping the server from a terminal', () => {
  it('stops kefu3d, then its LiveKit, on the first Ctrl-C, with exit code 0 and no error logged', async () => {
    const livekitPort = await freeLivekitPort()
    const env = testEnv(dataDir, {
      PORT: '0',
      LOG_LEVEL: 'info',
      LIVEKIT_MANAGED: '1',
      LIVEKIT_PORT: String(livekitPort),
      LIVEKIT_CACHE_DIR: LIVEKIT_CACHE_DIR,
    })
    // Its own process group, as a terminal's foreground job is.
    const server = spawn(process.execPath, [...SERVER_ENTRY.source], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let output = ''
    const livekitPid = new Promise<number>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk.toString()
        const started = output.match(/"pid":(\d+)[^\n]*"msg":"livekit-server started"/)
        if (started) resolve(Number(started[1]))
      }
      server.stdout.on('data', collect)
      server.stderr.on('data', collect)
      server.once('exit', (code) => reject(new Error(`server exited early with ${code}:\n${output}`)))
    })
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve))
    const pid = await livekitPid
    // The terminal's Ctrl-C reaches every process in its group; LiveKit must not be one of them, or
    // it exits at once, looks like a crash and is restarted (how soon it exits varies, so check the
    // group rather than hope to catch the restart message).
    expect(processGroupOf(pid)).not.toBe(server.pid)

    const group = -(server.pid as number)
    process.kill(group, 'SIGINT')
    process.kill(server.pid as number, 'SIGINT')

    expect(await exited).toBe(0)
    expect(isAlive(pid)).toBe(false)
    expect(output).not.toMatch(/restarting|"level":50|"level":"error"/)
    const kefuStopped = output.indexOf('"msg":"kefu3d stopped"')
    expect(kefuStopped, output).toBeGreaterThan(-1)
    expect(output.indexOf('"msg":"livekit-server stopped"'), output).toBeGreaterThan(kefuStopped)
  })
})
