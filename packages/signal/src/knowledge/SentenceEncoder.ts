import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

interface Reply {
  id: number
  vectors?: Float32Array
  dimensions?: number
  error?: string
}

/**
 * Turns texts into unit vectors whose dot product says how alike they mean, on a thread of its own
 * (see `sentenceWorker.mjs`). The thread does not keep the process alive unless a text is waiting.
 */
export class SentenceEncoder {
  private readonly waiting = new Map<
    number,
    { resolve: (vectors: Float32Array[]) => void; reject: (error: Error) => void }
  >()
  private nextId = 0
  /** Why the model's thread stopped, once it has: every text from then on is refused with it. */
  private failure: Error | undefined

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => this.settle(reply))
    worker.on('error', (error) => this.stop(error))
    worker.on('exit', (code) => this.stop(new Error(`sentence model: its thread exited (${code})`)))
    worker.unref()
  }

  /** Opens the model in a folder holding `model.onnx` and `tokenizer.json` (see `sentenceModel.ts`). */
  static open(folder: string): Promise<SentenceEncoder> {
    // Beside this module in the sources and beside the bundle in a build (which copies it there).
    const here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url))
    const worker = new Worker(join(here, 'sentenceWorker.mjs'), { workerData: { folder } })
    return new Promise((resolve, reject) => {
      worker.once('error', reject)
      worker.once('message', () => {
        worker.off('error', reject)
        resolve(new SentenceEncoder(worker))
      })
    })
  }

  /** The texts' vectors, in order. */
  encode(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([])
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    if (this.waiting.size === 0) this.worker.ref()
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage({ id, texts })
    })
  }

  private stop(error: Error): void {
    this.failure ??= error
    for (const { reject } of this.waiting.values()) reject(this.failure)
    this.waiting.clear()
  }

  private settle({ id, vectors, dimensions, error }: Reply): void {
    const waiter = this.waiting.get(id)
    if (!waiter) return
    this.waiting.delete(id)
    if (this.waiting.size === 0) this.worker.unref()
    if (error !== undefined || !vectors || !dimensions) waiter.reject(new Error(`sentence model: ${error}`))
    else {
      waiter.resolve(
        Array.from({ length: vectors.length / dimensions }, (_, at) =>
          vectors.subarray(at * dimensions, (at + 1) * dimensions),
        ),
      )
    }
  }
}
