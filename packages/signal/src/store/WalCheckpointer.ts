import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

// Runs in the worker: its own connection to the same file, checkpointing without blocking writers.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driverPath)
const db = new Database(workerData.dbPath)
db.pragma('busy_timeout = 1000')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch (error) { parentPort.postMessage(String(error)) }
}, workerData.intervalMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies pages into the database
 * and fsyncs; done by the serving connection (SQLite's default) it stalls every socket for
 * milliseconds several times a second under load. PASSIVE checkpoints never block writers.
 */
export class WalCheckpointer {
  private readonly worker: Worker

  constructor(dbPath: string, intervalMs: number, onError: (message: string) => void) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, dbPath, intervalMs } })
    this.worker.on('message', onError)
    this.worker.on('error', (error) => onError(error.message))
    this.worker.unref()
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve))
    this.worker.postMessage('stop')
    await exited
  }
}
