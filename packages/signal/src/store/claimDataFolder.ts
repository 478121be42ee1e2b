import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../config'

const CLAIM_FILE = 'kefu.pid'

/**
 * Claims a data folder for this server process and returns the release. The SQLite store gives a
 * message the seq after the one it remembers, which is right only while a single server writes the
 * messages: a second server on the same folder would hand out the same seqs, and its customers'
 * messages would fail. A claim whose process is gone (a crash, SIGKILL) is taken over.
 */
export function claimDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const claimPath = join(dataDir, CLAIM_FILE)
  // Written aside and linked into place, so a claim is never seen half-written.
  const draftPath = `${claimPath}.${process.pid}`
  writeFileSync(draftPath, String(process.pid))
  try {
    for (;;) {
      try {
        linkSync(draftPath, claimPath)
        return () => {
          if (holderOf(claimPath) === process.pid) rmSync(claimPath, { force: true })
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const holder = holderOf(claimPath)
      if (holder !== undefined && isRunning(holder))
        throw new ConfigError(
          `DATA_DIR ${dataDir} is in use by another kefu3d server (pid ${holder}). Give each server ` +
            `its own folder, or stop that one; if none is running, delete ${claimPath}.`,
        )
      rmSync(claimPath, { force: true })
    }
  } finally {
    rmSync(draftPath, { force: true })
  }
}

function holderOf(claimPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(claimPath, 'utf8'))
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
