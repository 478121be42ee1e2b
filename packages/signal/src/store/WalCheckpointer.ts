import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** What the worker tells the serving thread. */
type WorkerReport = { kind: 'error'; message: string } | { kind: 'behind' }

// Runs in the worker: its own connection to the same file, checkpointing without blocking writers.
const WORKER_SOURCE = `
const fs = require('node:fs')
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driverPath)
const db = new Database(workerData.dbPath)
db.pragma('busy_timeout = 1000')
// Once the log starts over, the writer overwrites it from the beginning, a frame (24 bytes + a page)
// at a time, so every write covers part of a disk block. A block no longer in the page cache
// (hosts reclaim it: written pages never count as used) must be read from disk first, on the
// event loop, behind the checkpoint's own writes: 10-500 ms stalls. Reading the part to be reused
// before the rounds that lead to the restart keeps those blocks cached. (Read after the restart, the
// writer caught up with the reader and waited on its reads.)
const LOG_HEADER_BYTES = 32
const FRAME_HEADER_BYTES = 24
const frameBytes = db.pragma('page_size', { simple: true }) + FRAME_HEADER_BYTES
const chunk = Buffer.allocUnsafe(1 << 20)
const readAhead = (frames) => {
  let fd
  try {
    fd = fs.openSync(workerData.dbPath + '-wal', 'r')
  } catch {
    return
  }
  try {
    const bytes = LOG_HEADER_BYTES + frames * frameBytes
    for (let at = 0, read = 1; at < bytes && read > 0; at += read) {
      read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, bytes - at), at)
    }
  } finally {
    fs.closeSync(fd)
  }
}
const checkpoint = () => {
  let [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)')
  if (log > workerData.restartAfterFrames) readAhead(log)
  for (let round = 1; log > workerData.restartAfterFrames; round++) {
    if (round === workerData.maxRounds) return parentPort.postMessage({ kind: 'behind' })
    const copiedBefore = checkpointed
    ;[{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)')
    if (log === checkpointed && checkpointed === copiedBefore) return
  }
}
const timer = setInterval(() => {
  try { checkpoint() } catch (error) { parentPort.postMessage({ kind: 'error', message: String(error) }) }
}, workerData.intervalMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

/** When and how hard the worker checkpoints. */
export interface CheckpointPolicy {
  intervalMs: number
  /**
   * A PASSIVE checkpoint copies what was committed when it began. Under steady writes more arrives
   * while it copies, so the log is never all copied at once, and SQLite starts it over from its
   * beginning only when a writer finds it so: with one round a second the log grew without end
   * (8 MB/s at 1,000 messages a second). Once the log holds more than this many pages, further
   * rounds copy what came in during the last; they shrink until one finds nothing new, and the next
   * write starts the log over, which costs the writer an fsync of the log's header: on this VM
   * usually under a millisecond, now and then far more, so 16 MiB (at 4 KiB pages) by default,
   * a few seconds at 1,000 messages a second, rather than SQLite's own 1,000 pages.
   */
  restartAfterFrames?: number
  /** Past this many rounds the writes outpace the worker, and the serving thread copies the rest. */
  maxRounds?: number
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies pages into the database
 * and fsyncs; done by the serving connection (SQLite's default) it stalls every socket for
 * milliseconds several times a second under load. PASSIVE checkpoints never block writers.
 */
export class WalCheckpointer {
  private readonly worker: Worker

  /**
   * `catchUp` runs on the serving thread when the worker cannot empty the log: the writer's own
   * checkpoint copies the little left since the worker's last round, and nothing is committed
   * meanwhile, so the next write starts the log over.
   */
  constructor(
    dbPath: string,
    policy: CheckpointPolicy,
    handlers: { catchUp: () => void; onError: (message: string) => void },
  ) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driverPath,
        dbPath,
        intervalMs: policy.intervalMs,
        restartAfterFrames: policy.restartAfterFrames ?? 4096,
        maxRounds: policy.maxRounds ?? 20,
      },
    })
    this.worker.on('message', (report: WorkerReport) => {
      if (report.kind === 'behind') handlers.catchUp()
      else handlers.onError(report.message)
    })
    this.worker.on('error', (error) => handlers.onError(error.message))
    this.worker.unref()
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve))
    // Unreferenced, the worker would let a shutting-down process end while its exit is awaited, and
    // whatever the caller does after the store is closed would never run.
    this.worker.ref()
    this.worker.postMessage('stop')
    await exited
  }
}
