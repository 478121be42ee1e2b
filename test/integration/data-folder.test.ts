import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnServer, spawnServerUntilExit } from '../helpers/spawnedServer'

const folders: string[] = []
const running: ChildProcess[] = []
afterAll(() => {
  for (const child of running) child.kill('SIGKILL')
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

function newFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kefu-folder-'))
  folders.push(folder)
  return folder
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve))

describe('starting a server where another already works', () => {
  it('refuses a second server on the same data folder or port, with a message, and leaves the first alone', async () => {
    const dataDir = newFolder()
    const first = await spawnServer(dataDir, 0)
    running.push(first.process)

    const sameFolder = await spawnServerUntilExit(dataDir, 0)
    expect(sameFolder.code).toBe(2)
    expect(sameFolder.stderr).toContain(
      `DATA_DIR ${dataDir} is in use by another kefu3d server (pid ${first.process.pid})`,
    )

    const samePort = await spawnServerUntilExit(newFolder(), first.port)
    expect(samePort.code).toBe(2)
    expect(samePort.stderr).toContain(`PORT ${first.port} on 127.0.0.1 is in use`)

    expect((await fetch(`${first.url}/readyz`)).ok).toBe(true)

    // A server that stops gives the folder back; one that was killed is taken over (the crash test).
    first.process.kill('SIGTERM')
    await exited(first.process)
    expect(existsSync(join(dataDir, 'kefu.pid'))).toBe(false)
    const next = await spawnServer(dataDir, 0)
    running.push(next.process)
    expect((await fetch(`${next.url}/readyz`)).ok).toBe(true)
    // Four servers started one after another from the sources: on a loaded machine, more than 30 s.
  }, 120_000)

  it('is not fooled by a leftover kefu.pid naming a live process (a container restarted with the same pid)', async () => {
    const dataDir = newFolder()
    writeFileSync(join(dataDir, 'kefu.pid'), String(process.pid))
    const server = await spawnServer(dataDir, 0)
    running.push(server.process)
    expect((await fetch(`${server.url}/readyz`)).ok).toBe(true)
  })
})
