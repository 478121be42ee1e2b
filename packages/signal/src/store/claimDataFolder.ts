import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { ConfigError } from '../config'

/**
 * Claims a data folder for this server process and returns the release. The SQLite store gives a
 * message the seq after the one it remembers, which is right only while a single server writes the
 * messages: a second server on the same folder would hand out the same seqs, and its customers'
 * messages would fail.
 *
 * The claim is an exclusive lock that SQLite takes on a file of its own and holds while the
 * process lives. The operating system drops it when the process ends, however it ends (SIGKILL,
 * a crash, a container restart where the next server has the same pid), so a claim is never left
 * behind; and SQLite also refuses a second claim from the same process. `kefu.pid` only names the
 * holder in the refusal.
 */
export function claimDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const pidPath = join(dataDir, 'kefu.pid')
  const lock = new Database(join(dataDir, 'kefu.lock'), { timeout: 0 })
  try {
    lock.pragma('locking_mode = EXCLUSIVE')
    lock.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    lock.close()
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error
    throw new ConfigError(
      `DATA_DIR ${dataDir} is in use by another kefu3d server${holderOf(pidPath)}. Give each server ` +
        'its own folder, or stop that one.',
    )
  }
  writeFileSync(pidPath, String(process.pid))
  return () => {
    if (!lock.open) return
    rmSync(pidPath, { force: true })
    lock.close()
  }
}

function holderOf(pidPath: string): string {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8'))
    return Number.isInteger(pid) && pid > 0 ? ` (pid ${pid})` : ''
  } catch {
    return ''
  }
}
