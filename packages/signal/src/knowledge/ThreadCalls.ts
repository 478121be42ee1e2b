import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

type Waiter = { resolve: (reply: never) => void; reject: (error: Error) => void }

/**
 * Calls to a worker thread that answers each `{ id, ...request }` with `{ id, ...reply }`, or
 * `{ id, error }`, and says `{ ready }` once it has loaded. The thread does not keep the process
 * alive unless a call is waiting; once it stops, every call is refused with why.
 */
export class ThreadCalls<Request extends object, Reply extends object> {
  private readonly waiting = new Map<number, Waiter>()
  private nextId = 0
  private failure: Error | undefined

  private constructor(
    private readonly worker: Worker,
    private readonly name: string,
  ) {
    worker.on('message', (reply: Reply & { id: number; error?: string }) => this.settle(reply))
    worker.on('error', (error) => this.stop(error))
    worker.on('exit', (code) => this.stop(new Error(`${name}: its thread exited (${code})`)))
    worker.unref()
  }

  /**
   * Starts the thread in `file` and resolves once it is ready. Thread files are plain JavaScript
   * (a worker loads its file with Node alone, without the sources' TypeScript loader) and sit beside
   * this module in the sources and beside the bundle in a build, which copies them there.
   */
  static open<Request extends object, Reply extends object>(
    file: string,
    workerData: unknown,
    name: string,
  ): Promise<ThreadCalls<Request, Reply>> {
    const here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url))
    const worker = new Worker(join(here, file), { workerData })
    return new Promise((resolve, reject) => {
      worker.once('error', reject)
      worker.once('message', () => {
        worker.off('error', reject)
        resolve(new ThreadCalls<Request, Reply>(worker, name))
      })
    })
  }

  call(request: Request): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    if (this.waiting.size === 0) this.worker.ref()
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (reply: never) => void, reject })
      this.worker.postMessage({ id, ...request })
    })
  }

  private stop(error: Error): void {
    this.failure ??= error
    for (const { reject } of this.waiting.values()) reject(this.failure)
    this.waiting.clear()
  }

  private settle(reply: Reply & { id: number; error?: string }): void {
    const waiter = this.waiting.get(reply.id)
    if (!waiter) return
    this.waiting.delete(reply.id)
    if (this.waiting.size === 0) this.worker.unref()
    if (reply.error !== undefined) waiter.reject(new Error(`${this.name}: ${reply.error}`))
    else waiter.resolve(reply as never)
  }
}
